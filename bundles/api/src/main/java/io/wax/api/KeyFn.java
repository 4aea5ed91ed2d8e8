package io.wax.api;

/** Picks the routing key of an item. Keys are strings so that routing is the same in every JVM. */
@FunctionalInterface
public interface KeyFn<T> {
    String key(T item) throws Exception;
}
