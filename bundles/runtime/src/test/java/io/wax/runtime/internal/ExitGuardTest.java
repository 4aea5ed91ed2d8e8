package io.wax.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** The rewritten class throws where the original would have ended the JVM. */
class ExitGuardTest {
    /** Calls each way of ending the process; rewritten before it is ever run. */
    public static final class Quits {
        public static void exit() {
            System.exit(3);
        }

        public static void runtimeExit() {
            Runtime.getRuntime().exit(4);
        }

        public static void halt() {
            Runtime.getRuntime().halt(5);
        }

        public static void reference() {
            IntConsumer quit = System::exit;
            quit.accept(6);
        }

        public static void boundReference() {
            IntConsumer quit = Runtime.getRuntime()::halt;
            quit.accept(7);
        }

        public static int harmless() {
            return 42;
        }
    }

    @Test
    void everyExitThrowsNamingTheCall() throws Exception {
        Class<?> woven = load(Quits.class, ExitGuard.rewrite(bytes(Quits.class)));
        assertEquals("System.exit(3) was called by a flow, which must not end the Wax process (the shell and other flows"
                + " run in it); throw an exception to fail the flow instead", thrown(woven, "exit").getMessage());
        assertTrue(thrown(woven, "runtimeExit").getMessage().startsWith("Runtime.exit(4) was called by a flow"));
        assertTrue(thrown(woven, "halt").getMessage().startsWith("Runtime.halt(5) was called by a flow"));
        assertTrue(thrown(woven, "reference").getMessage().startsWith("System.exit(6) was called by a flow"));
        assertTrue(thrown(woven, "boundReference").getMessage().startsWith("Runtime.halt(7) was called by a flow"));
        assertEquals(42, woven.getMethod("harmless").invoke(null));
    }

    @Test
    void classesWithoutExitsAreLeftAlone() throws Exception {
        assertNull(ExitGuard.rewrite(bytes(ExitGuardTest.class)));
        assertNotNull(ExitGuard.rewrite(bytes(Quits.class)));
    }

    private static SecurityException thrown(Class<?> c, String method) throws Exception {
        Method m = c.getMethod(method);
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> m.invoke(null));
        return assertThrows(SecurityException.class, () -> {
            throw e.getCause();
        });
    }

    private static byte[] bytes(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName().isEmpty() ? null
                : c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines the woven class in a loader of its own, which finds everything else as usual. */
    private static Class<?> load(Class<?> original, byte[] woven) {
        return new ClassLoader(ExitGuardTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(original.getName(), woven, 0, woven.length);
            }
        }.define();
    }
}
