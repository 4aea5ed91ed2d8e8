package io.wax.shell;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Enables {@link ExitCommand} only in Wax's own distribution, which {@code bin/wax} marks with
 * the {@code wax.home} property. In Karaf (or any other container) the framework belongs to the
 * container: its shell's {@code exit}/{@code logout} end the session and {@code system:shutdown}
 * stops it, so Wax adds no command that would stop the whole container.
 */
@Component(immediate = true, service = {})
public final class ExitCommandSwitch {
    static final String DISTRIBUTION_PROPERTY = "wax.home";

    @Activate
    public ExitCommandSwitch(ComponentContext context) {
        if (context.getBundleContext().getProperty(DISTRIBUTION_PROPERTY) != null) {
            context.enableComponent(ExitCommand.class.getName());
        }
    }
}
