package io.wax.runtime.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.hooks.weaving.WeavingHook;
import org.osgi.framework.hooks.weaving.WovenClass;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Namespace;

/**
 * Rewrites, in the classes of flow bundles (bundles importing {@code io.wax.api.flow}), every call
 * of {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} (also as method references)
 * into a call of {@link io.wax.runtime.guard.Exits}, which throws: a flow cannot end the process
 * the shell and other flows run in. Calls through reflection or method handles looked up at run
 * time are not seen. Registered as a plain object by {@link FlowRegistry}, not as a DS component:
 * the framework weaves the classes a service factory loads, so a hook that is one would be asked
 * to weave the classes of its own creation (a cycle).
 */
public final class ExitGuard implements WeavingHook {
    static final String EXITS = "io/wax/runtime/guard/Exits";
    private static final String GUARD_PACKAGE = "io.wax.runtime.guard";
    private static final String FLOW_PACKAGE = "(osgi.wiring.package=io.wax.api.flow)";
    private static final byte[] SYSTEM = "java/lang/System".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RUNTIME = "java/lang/Runtime".getBytes(StandardCharsets.US_ASCII);

    /** Whether a bundle revision is a flow bundle's, by revision. */
    private final Map<BundleRevision, Boolean> flowBundles = new ConcurrentHashMap<>();

    /** This bundle: it imports the flow API too, and its own classes (ASM's) must never be woven. */
    private final long self = FrameworkUtil.getBundle(ExitGuard.class).getBundleId();

    @Override
    public void weave(WovenClass woven) {
        BundleRevision rev = woven.getBundleWiring().getRevision();
        if (rev.getBundle().getBundleId() == self || !flowBundles.computeIfAbsent(rev, ExitGuard::importsFlowApi)) {
            return;
        }
        byte[] bytes = woven.getBytes();
        if (!contains(bytes, SYSTEM) && !contains(bytes, RUNTIME)) {
            return;
        }
        byte[] rewritten = rewrite(bytes);
        if (rewritten != null) {
            woven.setBytes(rewritten);
            woven.getDynamicImports().add(GUARD_PACKAGE);
        }
    }

    /** The class with its exit calls redirected, or {@code null} when it has none. */
    static byte[] rewrite(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] changed = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, desc, sig, exceptions)) {
                    @Override
                    public void visitMethodInsn(int op, String owner, String method, String d, boolean itf) {
                        String target = target(owner, method, d);
                        if (target != null && (op == Opcodes.INVOKESTATIC || op == Opcodes.INVOKEVIRTUAL)) {
                            changed[0] = true;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, EXITS, method, target, false);
                        } else {
                            super.visitMethodInsn(op, owner, method, d, itf);
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String d, Handle bootstrap, Object... args) {
                        for (int i = 0; i < args.length; i++) {
                            if (args[i] instanceof Handle h) {
                                String target = target(h.getOwner(), h.getName(), h.getDesc());
                                if (target != null) {
                                    changed[0] = true;
                                    args[i] = new Handle(Opcodes.H_INVOKESTATIC, EXITS, h.getName(), target, false);
                                }
                            }
                        }
                        super.visitInvokeDynamicInsn(name, d, bootstrap, args);
                    }
                };
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : null;
    }

    /** The descriptor of the replacement of {@code owner.method desc}, or null if it is not an exit. */
    private static String target(String owner, String method, String desc) {
        if (!desc.equals("(I)V")) {
            return null;
        }
        if (owner.equals("java/lang/System") && method.equals("exit")) {
            return "(I)V";
        }
        if (owner.equals("java/lang/Runtime") && (method.equals("exit") || method.equals("halt"))) {
            return "(Ljava/lang/Runtime;I)V";
        }
        return null;
    }

    private static boolean importsFlowApi(BundleRevision rev) {
        for (BundleRequirement r : rev.getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE)) {
            String filter = r.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
            if (filter != null && filter.contains(FLOW_PACKAGE)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0, n = hay.length - needle.length; i <= n; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
