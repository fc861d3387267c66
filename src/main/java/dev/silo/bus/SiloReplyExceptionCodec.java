package dev.silo.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Carries {@link SiloReplyException} over the event bus as JSON, so a clustered
 * deployment sends the same reply as a local one.
 */
public final class SiloReplyExceptionCodec implements MessageCodec<SiloReplyException, SiloReplyException> {

  public static final String NAME = "silo-reply-exception";

  @Override
  public void encodeToWire(Buffer buffer, SiloReplyException failure) {
    Buffer json = new JsonObject()
      .put("status", failure.failureCode())
      .put("code", failure.code())
      .put("detail", failure.detail())
      .toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public SiloReplyException decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    JsonObject json = new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
    return new SiloReplyException(json.getInteger("status"), json.getString("code"), json.getString("detail"));
  }

  @Override
  public SiloReplyException transform(SiloReplyException failure) {
    // Immutable, so local delivery can share the instance.
    return failure;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
