package io.wax.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProfileTest {
    @Test
    void theLineComesFromGogosLocationCountedFromOne() {
        assertEquals(360, Profile.line("file:/opt/wax/etc/gosh_profile:359.0"));
        assertEquals(1, Profile.line("file:/opt/wax/etc/gosh_profile:0.4"));
        assertEquals(0, Profile.line("gogo"));
        assertEquals(0, Profile.line(null));
    }

    @Test
    void whatNamesTheLineAndTheFault() {
        String text = "prompt = 'wax> '\n  frob --now  \n";
        assertEquals("'frob --now' failed: there is no command 'frob'; fix or remove it (a command that may fail belongs inside"
                + " the profile's try { ... } block, which reports the failure and goes on), or restore the shipped file from"
                + " the distribution's archive", Profile.what(text, 2, new CommandNotFoundException("frob")));
        assertEquals("a command failed: IllegalStateException: no", Profile.what(text, 0, new IllegalStateException("no")).split(";")[0]);
        assertEquals("'prompt = 'wax> '' failed: NullPointerException", Profile.what(text, 1, new NullPointerException()).split(";")[0]);
    }

    /** Named as Gogo's, which the message recognises by its simple name. */
    private static final class CommandNotFoundException extends IllegalArgumentException {
        CommandNotFoundException(String command) {
            super("Command not found: " + command);
        }
    }
}
