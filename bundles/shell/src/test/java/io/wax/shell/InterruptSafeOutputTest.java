package io.wax.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import org.junit.jupiter.api.Test;

class InterruptSafeOutputTest {
    @Test
    void anInterruptedWriterDoesNotCloseTheConsole() throws Exception {
        Pipe pipe = Pipe.open();
        OutputStream console = Channels.newOutputStream(pipe.sink()); // interruptible, like Gogo's
        OutputStream out = new InterruptSafeOutput(console);
        Thread.currentThread().interrupt();
        try {
            out.write("hi".getBytes());
            out.flush();
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        assertTrue(pipe.sink().isOpen(), "the console is still open");
        ByteBuffer got = ByteBuffer.allocate(2);
        pipe.source().read(got);
        assertEquals("hi", new String(got.array()));
    }
}
