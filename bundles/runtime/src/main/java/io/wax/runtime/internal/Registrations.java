package io.wax.runtime.internal;

import io.wax.api.flow.FlowFactory;
import io.wax.api.flow.FlowFactory.Param;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Reads a bound flow service into a {@link Registration}, turning every failure into a problem. */
final class Registrations {
    private static final List<Class<?>> PARAM_TYPES = List.of(int.class, long.class, double.class, boolean.class,
            String.class, Integer.class, Long.class, Double.class, Boolean.class);

    private Registrations() {
    }

    static Registration read(ComponentServiceObjects<FlowFactory> objects, ServiceComponentRuntime scr) {
        Bundle bundle = objects.getServiceReference().getBundle();
        FlowFactory factory;
        try {
            factory = objects.getService();
        } catch (RuntimeException e) {
            return new Registration(null, null, List.of(), bundle, "its flow component could not be created: " + e);
        }
        if (factory == null) {
            return new Registration(null, null, List.of(), bundle, "its flow component could not be created: "
                    + failure(bundle, scr));
        }
        String name;
        List<Param> params;
        try {
            name = factory.name();
            params = List.copyOf(factory.params());
        } catch (RuntimeException | LinkageError e) {
            return new Registration(factory, null, List.of(), bundle, factory.getClass().getName()
                    + " could not describe its flow: " + e);
        }
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            return new Registration(factory, null, List.of(), bundle, factory.getClass().getName()
                    + " names its flow '" + name + "'; a flow name is letters, digits, '_' and '-'");
        }
        for (Param p : params) {
            if (!PARAM_TYPES.contains(p.type())) {
                return new Registration(factory, name, List.of(), bundle, "parameter " + p.name() + " has type "
                        + p.type().getName() + "; parameters are int, long, double, boolean or String");
            }
        }
        return new Registration(factory, name, params, bundle, null);
    }

    /** The innermost "Caused by:" line of a printed stack trace, else its first line. */
    private static String rootCause(String trace) {
        List<String> lines = trace.lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("Caused by: ")) {
                return lines.get(i).substring("Caused by: ".length());
            }
        }
        return lines.isEmpty() ? trace : lines.get(0);
    }

    /** The first line of the failure SCR recorded for the bundle's components, if any. */
    private static String failure(Bundle bundle, ServiceComponentRuntime scr) {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(bundle)) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.failure != null && !c.failure.isBlank()) {
                    return d.implementationClass + ": " + rootCause(c.failure);
                }
            }
        }
        return "see the log";
    }
}
