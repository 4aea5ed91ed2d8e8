package io.wax.bench.codec.probe;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/** Runs inside a flow bundle: registers {@link Word} with Kryo and round-trips one. */
public final class KryoProbe {
    private KryoProbe() {
    }

    public static String run() {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.register(Word.class);
        Output out = new Output(64, -1);
        Word w = new Word("kryo", 7);
        kryo.writeClassAndObject(out, w);
        Object back = kryo.readClassAndObject(new Input(out.toBytes()));
        if (!w.equals(back)) {
            throw new IllegalStateException("decoded " + back);
        }
        return "ok";
    }
}
