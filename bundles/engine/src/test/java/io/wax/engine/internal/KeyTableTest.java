package io.wax.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stateful steps' key table behaves like a map under random adds and removes. */
class KeyTableTest {
    static final class E extends KeyTable.Keyed {
        E(String key) {
            super(key);
        }
    }

    @Test
    void matchesAHashMapUnderRandomOperations() {
        Random r = new Random(7);
        KeyTable<E> table = new KeyTable<>();
        Map<String, E> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // Few distinct keys, so adds, hits and removes all happen often and clusters form.
            String key = "k" + r.nextInt(3_000);
            if (r.nextInt(3) == 0) {
                table.remove(key);
                model.remove(key);
            } else if (!model.containsKey(key)) {
                E e = new E(key);
                table.add(e);
                model.put(key, e);
            }
            if (step % 1_000 == 0) {
                assertEquals(model.size(), table.size());
                for (int k = 0; k < 3_000; k++) {
                    String probe = "k" + k;
                    E expected = model.get(probe);
                    if (expected == null) {
                        assertNull(get(table, probe), probe);
                    } else {
                        assertSame(expected, get(table, new String(probe)), probe);
                    }
                }
            }
        }
        assertEquals(model.size(), table.values().size());
    }

    private static E get(KeyTable<E> table, String key) {
        return table.get(key, KeyTable.spread(key.hashCode()));
    }
}
