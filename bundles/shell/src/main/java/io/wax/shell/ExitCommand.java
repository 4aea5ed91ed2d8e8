package io.wax.shell;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code exit}: stops Wax cleanly. Without it, {@code exit} in the Gogo shell resolves to
 * {@code System.exit(int)}, which kills the JVM without stopping a single bundle. Disabled until
 * {@link ExitCommandSwitch} finds itself in Wax's own distribution: inside a container such as
 * Karaf the container's shell has its own {@code exit}, and a Wax command must not stop it.
 */
@Component(enabled = false, service = ExitCommand.class,
        property = {"osgi.command.scope=wax", "osgi.command.function=exit"})
public final class ExitCommand {
    private final BundleContext context;

    @Activate
    public ExitCommand(BundleContext context) {
        this.context = context;
    }

    @Descriptor("stop Wax and leave the shell")
    public void exit() throws BundleException {
        // Asynchronous: the framework stops on its own thread, the shell ends as its bundle stops.
        context.getBundle(0).stop();
    }
}
