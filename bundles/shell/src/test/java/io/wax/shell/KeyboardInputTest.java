package io.wax.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeyboardInputTest {
    @Test
    void ctrlDEndsInput() throws IOException {
        KeyboardInput in = new KeyboardInput(new ByteArrayInputStream("a b\n\u0004left for the shell".getBytes(StandardCharsets.UTF_8)));
        assertEquals("a b\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aClosedViewNeverReadsTheKeyboardAgain() throws Exception {
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream keyboard = new PipedInputStream(typing);
        KeyboardInput in = new KeyboardInput(keyboard);
        AtomicInteger result = new AtomicInteger(-2);
        Thread reader = new Thread(() -> {
            try {
                result.set(in.read());
            } catch (IOException e) {
                result.set(-3);
            }
        });
        reader.start();
        in.close();
        reader.join(5000);
        assertFalse(reader.isAlive(), "a reader waiting on the keyboard returns once the view is closed");
        assertEquals(-1, result.get());
        typing.write("next command\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(keyboard.available() > 0, "what is typed afterwards stays for the shell");
        assertEquals(-1, in.read());
    }
}
