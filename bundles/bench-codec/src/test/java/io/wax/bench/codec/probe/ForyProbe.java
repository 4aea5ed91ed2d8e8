package io.wax.bench.codec.probe;

import org.apache.fory.Fory;
import org.apache.fory.config.Language;

/** Runs inside a flow bundle: registers {@link Word} with Fory and round-trips one. */
public final class ForyProbe {
    private ForyProbe() {
    }

    public static String run() {
        Fory fory = Fory.builder().withLanguage(Language.JAVA).requireClassRegistration(true).withRefTracking(false)
                .build();
        fory.register(Word.class);
        Word w = new Word("fory", 7);
        Object back = fory.deserialize(fory.serialize(w));
        if (!w.equals(back)) {
            throw new IllegalStateException("decoded " + back);
        }
        return "ok";
    }
}
