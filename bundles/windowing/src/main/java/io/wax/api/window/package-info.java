/**
 * Windowing: grouping each key's items by time and computing a result per window.
 *
 * <h2>Operators</h2>
 * {@link io.wax.api.window.Windowing#of Windowing.of(keyedStream, clock, windower)} picks the
 * items, their clock and their windows; its methods are the operators: the generic
 * {@link io.wax.api.window.Windowing#window window} (a {@link io.wax.api.window.WindowLogic} per
 * window of each key), and built on it {@code collectList}, {@code collectSet}, {@code collectMap},
 * {@code fold}, {@code reduce}, {@code count}, {@code max}, {@code min} and {@code join}. Each is one
 * {@code stateful_batch} step, so window state lives with its key on the key's worker and is
 * snapshotted per key like any other state. Each returns a {@link io.wax.api.window.WindowOut} of
 * three streams keyed by the original key:
 * <ul>
 * <li>{@code down}: {@link io.wax.api.window.WindowResult}s, each with its window id;</li>
 * <li>{@code late}: {@link io.wax.api.window.LateItem}s, the items that came too late;</li>
 * <li>{@code meta}: {@link io.wax.api.window.WindowMeta}, each window's open and close times and
 * the ids of the windows merged into it; produced only if the flow asks for this stream.</li>
 * </ul>
 * <pre>{@code
 * WindowOut<Click, Long> perMinute = Windowing
 *     .of(clicks, Clock.event(Click::time, Duration.ofSeconds(10)),
 *         Windower.tumbling(Duration.ofMinutes(1), Instant.EPOCH))
 *     .count("per_minute");
 * }</pre>
 *
 * <h2>Clocks</h2>
 * A {@link io.wax.api.window.Clock} gives each item a timestamp and keeps a <em>watermark</em>:
 * the time up to which the key's input is taken to be complete. Each key has its own clock. Times
 * are epoch milliseconds.
 * <ul>
 * <li>{@link io.wax.api.window.Clock#system()}: timestamp = watermark = the system time when the
 * item is handled. Nothing is ever late.</li>
 * <li>{@link io.wax.api.window.Clock#event Clock.event(timestampGetter, wait)}: timestamps come
 * from the items. The watermark is the largest timestamp seen minus {@code wait}, plus the system
 * time elapsed since that item arrived, so windows also close when input stops; it never goes
 * backwards. {@code wait} is how far out of order items may arrive. Because the watermark moves
 * with system time, an item that follows its key's previous one by less event time than the
 * system time in between is late unless {@code wait} covers the difference: replaying old data
 * faster than real time is fine, pausing it is not.</li>
 * </ul>
 * At end of input the watermark jumps to +infinity, so every window closes and emits. The event
 * clock's state (one long per key) is kept while the flow runs, so a key's lateness is judged the
 * same way even after all its windows closed. Write your own clock by implementing
 * {@link io.wax.api.window.Clock} and {@link io.wax.api.window.ClockLogic}.
 *
 * <h2>Windowers</h2>
 * A {@link io.wax.api.window.Windower} says which windows an item belongs to.
 * <ul>
 * <li>{@link io.wax.api.window.Windower#tumbling tumbling(length, alignTo)}: back-to-back
 * windows; each item is in exactly one.</li>
 * <li>{@link io.wax.api.window.Windower#sliding sliding(length, offset, alignTo)}: a window of
 * {@code length} opens every {@code offset}; open times are inclusive, close times exclusive; an
 * item is in exactly the windows that contain it. An offset longer than the length is rejected.
 * Window ids count offsets from {@code alignTo} and are computed arithmetically, so an
 * {@code alignTo} far in the past costs nothing.</li>
 * <li>{@link io.wax.api.window.Windower#session session(gap)}: items at most {@code gap} apart
 * share a window (as in Bytewax); an item that bridges two sessions merges the one that starts
 * later into the one that starts earlier (its id survives and {@code meta} lists the merged id).
 * A key's sessions are numbered 0, 1, 2, ... in the order they open, as in Bytewax; a key that
 * had a session is kept, so its ids never repeat. Merging depends only on the order of each key's
 * items, so results do not depend on worker count or batching.</li>
 * </ul>
 * Write your own by implementing {@link io.wax.api.window.Windower} and
 * {@link io.wax.api.window.WindowerLogic}.
 *
 * <h2>When windows fire</h2>
 * After each item, and whenever the engine wakes the key at the system time its clock says the
 * watermark reaches the next window end, every window whose end the watermark has reached fires
 * (its logic's {@code onClose}) in order of end time, then window id. Results therefore leave as
 * soon as the watermark passes, not when a batch, an epoch or the input ends.
 *
 * <h2>Ordered and unordered operators</h2>
 * As in Bytewax ({@code ordered=True}), {@code window}, {@code collect*}, {@code fold} and
 * {@code join} are ordered by default: a value that is not late waits until the watermark reaches
 * its timestamp, and the waiting values are then applied in timestamp order (equal timestamps in
 * arrival order), before the windows that watermark closes fire. Results a logic emits per value
 * ({@code join} in COMPLETE or RUNNING mode) therefore come when the watermark passes the value,
 * and sessions open, and are numbered, in timestamp order. {@code count}, {@code reduce},
 * {@code max} and {@code min} are unordered by default, as in Bytewax: values are applied as they
 * come. {@link io.wax.api.window.Windowing#ordered Windowing.ordered(boolean)} overrides the
 * default of any operator. Waiting values are kept in the key's snapshot.
 *
 * <h2>Late items and allowed lateness</h2>
 * An item whose timestamp is below the watermark is late: it goes to {@code late} (once per
 * window it would have belonged to; sessions use {@link io.wax.api.window.LateItem#LATE_SESSION}, -1)
 * and never changes a result. <b>Beyond Bytewax</b>, {@link io.wax.api.window.Windowing#allowedLateness}
 * (off by default) accepts items up to that much below the watermark. Such an item joins its
 * windows as usual; a window that has already fired fires again at once with the item included.
 * Windows are kept until the watermark passes their end plus the allowance. End of input fires
 * every window; its watermark of +infinity (the built-in clocks') only closes them early, so with
 * an allowance they are kept in the snapshot taken at the end, and a flow resumed after end of
 * input, from a source that has more since, updates them. (Without an allowance they are
 * dropped, and such a resumed flow starts them afresh, as Bytewax does. A clock of your own whose
 * end-of-input watermark is finite is taken at its word.)
 *
 * <h2>Telling updates from first results</h2>
 * Every {@link io.wax.api.window.WindowResult} carries {@code update}: 0 for results of a
 * window's first firing, {@code n} for those of its {@code n}-th re-firing. A downstream step
 * keyed by (key, window id) keeps the result with the highest {@code update}, or, for an
 * append-only sink, writes {@code update > 0} results as corrections. Without allowed lateness
 * {@code update} is always 0. When sessions merge, {@link io.wax.api.window.WindowMeta#mergedIds()}
 * names the windows whose earlier results the merged window's results replace. The exception is
 * a logic that emits as values are applied rather than when the window fires ({@code join} in COMPLETE
 * or RUNNING mode, or your own): each row stands on its own, and {@code update} is how many times
 * the window had fired when the row was emitted (so it can skip numbers; above 0, the row came
 * from a late item or from an item after a resume from end of input).
 *
 * <h2>Determinism</h2>
 * For the same input order per key, results, late items and metadata are the same whatever the
 * worker count and batch size: windows are assigned, merged and fired as a function of each
 * key's item sequence and watermark only. (The event clock's watermark also moves with system
 * time, so a wait shorter than real pauses in the input makes lateness depend on timing, as it
 * must.)
 */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.wax.api.window;
