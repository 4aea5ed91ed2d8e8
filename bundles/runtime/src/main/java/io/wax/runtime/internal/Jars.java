package io.wax.runtime.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;

/** A bundle's current revision as a jar: what a refused flow update puts back. */
final class Jars {
    private Jars() {
    }

    static byte[] capture(Bundle b) throws IOException {
        URL mf = b.getEntry("META-INF/MANIFEST.MF");
        if (mf == null) {
            throw new IOException("bundle " + b.getSymbolicName() + " has no manifest entry");
        }
        Manifest manifest;
        try (InputStream in = mf.openStream()) {
            manifest = new Manifest(in);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            Enumeration<URL> all = b.findEntries("/", "*", true);
            while (all != null && all.hasMoreElements()) {
                URL u = all.nextElement();
                String path = u.getPath().startsWith("/") ? u.getPath().substring(1) : u.getPath();
                if (path.isEmpty() || path.endsWith("/") || path.equalsIgnoreCase("META-INF/MANIFEST.MF")) {
                    continue;
                }
                jar.putNextEntry(new JarEntry(path));
                try (InputStream in = u.openStream()) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
