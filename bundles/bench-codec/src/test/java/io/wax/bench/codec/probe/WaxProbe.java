package io.wax.bench.codec.probe;

import io.wax.api.codec.CodecRegistry;
import io.wax.api.codec.Codecs;

/** Runs inside a flow bundle: registers {@link Word} with Wax's codecs and round-trips one. */
public final class WaxProbe {
    private WaxProbe() {
    }

    public static String run() {
        CodecRegistry r = new Codecs().register(Word.class).registry();
        Word w = new Word("wax", 7);
        Object back = r.decode(r.encode(w));
        if (!w.equals(back)) {
            throw new IllegalStateException("decoded " + back);
        }
        return "ok";
    }
}
