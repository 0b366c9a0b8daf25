package io.callqa.operators.sinks.elasticsearch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * Checkpointed buffer of the Elasticsearch sink: explicit fields, no Kryo, no Java serialization.
 */
final class EsDocumentStateSerializer extends AsyncSinkWriterStateSerializer<EsDocument> {
  private static final int VERSION = 1;

  @Override
  protected void serializeRequestToStream(EsDocument doc, DataOutputStream out) throws IOException {
    out.writeUTF(doc.index());
    out.writeUTF(doc.id());
    out.writeInt(doc.attempts());
    out.writeInt(doc.json().length);
    out.write(doc.json());
  }

  @Override
  protected EsDocument deserializeRequestFromStream(long requestSize, DataInputStream in)
      throws IOException {
    String index = in.readUTF();
    String id = in.readUTF();
    int attempts = in.readInt();
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    return new EsDocument(index, id, json, attempts);
  }

  @Override
  public int getVersion() {
    return VERSION;
  }
}
