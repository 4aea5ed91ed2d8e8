package io.wax.api.window.internal;

import io.wax.api.codec.ByteReader;
import io.wax.api.codec.ByteWriter;
import io.wax.api.codec.Codec;
import io.wax.api.codec.Codecs;
import io.wax.api.window.LateItem;
import io.wax.api.window.WindowMeta;
import io.wax.api.window.WindowResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The codecs of what window operators emit and keep, registered in a flow when it first uses a
 * window operator: results, late items and meta cross processes downstream, window state and the
 * tagged values of window joins cross processes and go to the recovery store.
 */
public final class WindowCodecs {
    private WindowCodecs() {
    }

    public static void register(Codecs codecs) {
        codecs.register(WindowResult.class).register(LateItem.class).register(WindowMeta.class, META)
                .register(WindowState.class).register(WindowState.Window.class).register(WindowState.Pending.class)
                .register(SessionWindowerLogic.Session.class).register(SessionWindowerLogic.State.class)
                .register(Tagged.class);
    }

    private static final Codec<WindowMeta> META = new Codec<>() {
        @Override
        public void encode(WindowMeta m, ByteWriter out) {
            out.writeSignedVarLong(m.windowId()).writeSignedVarLong(m.openMillis()).writeSignedVarLong(m.closeMillis());
            out.writeVarInt(m.mergedIds().size());
            for (long id : m.mergedIds()) {
                out.writeSignedVarLong(id);
            }
        }

        @Override
        public WindowMeta decode(ByteReader in) {
            long id = in.readSignedVarLong();
            long open = in.readSignedVarLong();
            long close = in.readSignedVarLong();
            int n = in.readCount(1);
            List<Long> merged = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                merged.add(in.readSignedVarLong());
            }
            return new WindowMeta(id, open, close, merged);
        }
    };
}
