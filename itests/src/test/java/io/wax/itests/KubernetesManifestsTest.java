package io.wax.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.wax.runtime.RunArgs;
import io.wax.runtime.RunFlags;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests (distribution/kubernetes/) agree with each other, with the container
 * build file and with {@code bin/wax}: the StatefulSet's flags parse, name its own pods in its
 * headless service on the container's port, as many as it has replicas, keep recovery in the
 * one volume every pod shares, which the recovery Job initialises with a partition per pod; and the
 * real {@code bin/wax} accepts them in every pod (it stops only because this machine has no store
 * at the pod's recovery directory) and rejects them in a pod that should not exist.
 */
public class KubernetesManifestsTest {
    private static final Path DIR = Path.of(System.getProperty("wax.kubernetes", "../distribution/kubernetes"));

    private final Map<String, Object> statefulSet = yaml("statefulset.yaml");
    private final Map<String, Object> service = yaml("service.yaml");
    private final Map<String, Object> configMap = yaml("configmap.yaml");
    private final Map<String, Object> pod = map(map(map(statefulSet, "spec"), "template"), "spec");
    private final Map<String, Object> container = list(pod, "containers").get(0);

    @Test
    public void theFlagsNameEveryPodOfTheStatefulSetOnTheClusterPort() {
        String name = string(map(statefulSet, "metadata"), "name");
        String serviceName = string(map(statefulSet, "spec"), "serviceName");
        int replicas = (Integer) map(statefulSet, "spec").get("replicas");
        int port = clusterPort();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            RunFlags flags = RunArgs.parse(runArgs(), env(name + "-" + ordinal)).flags();
            assertEquals(Integer.valueOf(ordinal), flags.processId());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                expected.add(name + "-" + i + "." + serviceName + ":" + port);
            }
            assertEquals("--processes and the pattern must give one address per replica, pod NAME-N.SERVICE:PORT",
                    expected, flags.addresses());
            assertEquals("-r must be the store the recovery Job makes, in the shared volume", initArgs().get(2),
                    flags.recoveryDirectory());
            assertTrue("-r must be inside the recovery volume's mount",
                    flags.recoveryDirectory().startsWith(mountPath(recoveryVolume()) + "/"));
        }
    }

    @Test
    public void theHeadlessServiceSelectsThePodsOnTheSamePort() {
        assertEquals(string(map(statefulSet, "spec"), "serviceName"), string(map(service, "metadata"), "name"));
        Map<String, Object> spec = map(service, "spec");
        assertEquals("None", spec.get("clusterIP"));
        Map<String, Object> labels = map(map(map(map(statefulSet, "spec"), "template"), "metadata"), "labels");
        assertTrue("the service's selector must match the pods' labels", labels.entrySet().containsAll(map(spec, "selector").entrySet()));
        Map<String, Object> clusterPort = list(spec, "ports").stream().filter(p -> "cluster".equals(p.get("name"))).findFirst().orElseThrow();
        assertEquals(clusterPort(), clusterPort.get("port"));
        assertEquals("cluster", clusterPort.get("targetPort"));
    }

    @Test
    public void theConfigMapHoldsEtcFilesMountedWhereTheImageHasThem() throws IOException {
        Path etc = ExamSetup.dist().resolve("etc");
        String installDir = containerfile("WORKDIR");
        Map<String, Object> data = map(configMap, "data");
        Map<String, Object> etcVolume = list(pod, "volumes").stream().filter(v -> v.containsKey("configMap")).findFirst().orElseThrow();
        assertEquals(string(map(configMap, "metadata"), "name"), string(map(etcVolume, "configMap"), "name"));
        for (String file : data.keySet()) {
            assertEquals(file + ": the shipped ConfigMap holds the distribution's defaults",
                    Files.readString(etc.resolve(file)), data.get(file));
            Map<String, Object> mount = list(container, "volumeMounts").stream()
                    .filter(m -> file.equals(m.get("subPath"))).findFirst().orElseThrow(() -> new AssertionError(file + " is not mounted"));
            assertEquals(etcVolume.get("name"), mount.get("name"));
            assertEquals(installDir + "/etc/" + file, mount.get("mountPath"));
        }
    }

    @Test
    public void theImageRunsBinWaxAsThePodsUser() throws IOException {
        String installDir = containerfile("WORKDIR");
        assertEquals("[\"" + installDir + "/bin/wax\"]", containerfile("ENTRYPOINT"));
        assertTrue(Files.isExecutable(ExamSetup.dist().resolve("bin/wax")));
        Map<String, Object> security = map(pod, "securityContext");
        assertEquals(containerfile("USER"), String.valueOf(security.get("runAsUser")));
        assertTrue("the image makes the recovery mount point writable for that user",
                containerfile("RUN").contains(mountPath(recoveryVolume())));
    }

    /** What Kubernetes would start in pod wax-1, and in a wax-3 that a scaled-up set without a new --processes would have. */
    @Test
    public void binWaxAcceptsTheManifestsFlagsInEveryPodAndNoOther() throws Exception {
        String name = string(map(statefulSet, "metadata"), "name");
        int replicas = (Integer) map(statefulSet, "spec").get("replicas");
        List<String> args = new ArrayList<>(List.of(string(container, "args").split("\n")));
        WaxProcess inPod = WaxProcess.run(ExamSetup.dist(), env(name + "-" + (replicas - 1)), "", args.toArray(new String[0]));
        assertEquals(inPod.err(), 1, inPod.exitCode());
        assertTrue("parsed and checked, then stopped only for want of the store the recovery Job makes: " + inPod.err(),
                inPod.err().contains("no recovery store at " + initArgs().get(2)));
        WaxProcess extra = WaxProcess.run(ExamSetup.dist(), env(name + "-" + replicas), "", args.toArray(new String[0]));
        assertEquals(extra.err(), 2, extra.exitCode());
        assertTrue(extra.err(), extra.err().contains("must be between 0 and " + (replicas - 1)));
    }

    /** The arguments after {@code run}. */
    private List<String> runArgs() {
        List<String> args = List.of(string(container, "args").split("\n"));
        assertEquals("run", args.get(0));
        return args.subList(1, args.size());
    }

    /** The container's environment, plus the host name Kubernetes gives the pod. */
    private Map<String, String> env(String hostName) {
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> e : list(container, "env")) {
            env.put(string(e, "name"), string(e, "value"));
        }
        env.put("HOSTNAME", hostName);
        return env;
    }

    private int clusterPort() {
        return (Integer) list(container, "ports").stream().filter(p -> "cluster".equals(p.get("name"))).findFirst().orElseThrow()
                .get("containerPort");
    }

    /** The pods' volume of the shared recovery claim (recovery.yaml). */
    private String recoveryVolume() {
        return list(pod, "volumes").stream().filter(v -> v.containsKey("persistentVolumeClaim"))
                .map(v -> string(v, "name")).findFirst().orElseThrow(() -> new AssertionError("no recovery claim in the pods"));
    }

    /** The recovery Job's {@code bin/wax} arguments: {@code recovery init DIR N}. */
    @SuppressWarnings("unchecked")
    private List<String> initArgs() {
        Map<String, Object> job = recovery("Job");
        Map<String, Object> c = list(map(map(map(job, "spec"), "template"), "spec"), "containers").get(0);
        return (List<String>) c.get("args");
    }

    /** The document of a kind in recovery.yaml. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> recovery(String kind) {
        try {
            for (Object doc : new Yaml().loadAll(Files.readString(DIR.resolve("recovery.yaml")))) {
                if (kind.equals(((Map<String, Object>) doc).get("kind"))) {
                    return (Map<String, Object>) doc;
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError("no " + kind + " in recovery.yaml");
    }

    @Test
    public void everyPodSharesOneRecoveryStoreThatTheJobInitialisesWithAPartitionPerPod() {
        Map<String, Object> claim = recovery("PersistentVolumeClaim");
        String claimName = string(map(claim, "metadata"), "name");
        assertEquals("every process must see every partition", List.of("ReadWriteMany"), map(claim, "spec").get("accessModes"));
        Map<String, Object> volume = list(pod, "volumes").stream().filter(v -> v.containsKey("persistentVolumeClaim"))
                .findFirst().orElseThrow();
        assertEquals(claimName, string(map(volume, "persistentVolumeClaim"), "claimName"));
        assertTrue("no per-pod volumes: a pod would see only its own partitions", !map(statefulSet, "spec").containsKey("volumeClaimTemplates"));
        Map<String, Object> jobPod = map(map(map(recovery("Job"), "spec"), "template"), "spec");
        Map<String, Object> jobVolume = list(jobPod, "volumes").get(0);
        assertEquals(claimName, string(map(jobVolume, "persistentVolumeClaim"), "claimName"));
        Map<String, Object> jobContainer = list(jobPod, "containers").get(0);
        assertEquals(string(container, "image"), string(jobContainer, "image"));
        Map<String, Object> jobMount = list(jobContainer, "volumeMounts").get(0);
        assertEquals(mountPath(recoveryVolume()), jobMount.get("mountPath"));
        List<String> init = initArgs();
        assertEquals(List.of("recovery", "init"), init.subList(0, 2));
        int replicas = (Integer) map(statefulSet, "spec").get("replicas");
        assertTrue("at least one partition per process", Integer.parseInt(init.get(3)) >= replicas);
    }

    private String mountPath(String volume) {
        return string(list(container, "volumeMounts").stream().filter(m -> volume.equals(m.get("name"))).findFirst().orElseThrow(),
                "mountPath");
    }

    /** The Containerfile's last instruction of a kind, with its continuation lines joined. */
    private static String containerfile(String instruction) throws IOException {
        String text = Files.readString(DIR.resolve("Containerfile")).replace("\\\n", " ");
        Matcher m = Pattern.compile("(?m)^" + instruction + "\\s+(.*)$").matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1).strip();
        }
        assertTrue("no " + instruction + " in the Containerfile", last != null);
        return last;
    }

    private static Map<String, Object> yaml(String file) {
        try (Reader r = Files.newBufferedReader(DIR.resolve(file))) {
            return new Yaml().load(r);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + DIR.resolve(file), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(key + " is missing or not a mapping in " + m.keySet(), v instanceof Map);
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        assertTrue(key + " is missing or not a list", v instanceof List);
        return (List<Map<String, Object>>) v;
    }

    /** A scalar, or for a list of scalars (a container's args) its items one per line. */
    private static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof List<?> items) {
            return String.join("\n", items.stream().map(String::valueOf).toList());
        }
        assertTrue(key + " is missing", v != null);
        return String.valueOf(v);
    }
}
