package io.callqa.operators.sinks.elasticsearch;

import io.callqa.operators.sinks.elasticsearch.EsDocument.Operation;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;

/**
 * Checkpointed buffer of the Elasticsearch sink: explicit fields, no Kryo, no Java serialization.
 *
 * <p>Versions: 1 = index, id, attempts, json (every document a full {@code index}); 2 adds the
 * {@link Operation} as one byte after the id. Version 1 state (checkpoints of older jobs) is still
 * read, each document as {@link Operation#INDEX}, which is what it was written for.
 */
final class EsDocumentStateSerializer extends AsyncSinkWriterStateSerializer<EsDocument> {
  static final int VERSION = 2;

  @Override
  protected void serializeRequestToStream(EsDocument doc, DataOutputStream out) throws IOException {
    out.writeUTF(doc.index());
    out.writeUTF(doc.id());
    out.writeByte(code(doc.operation()));
    out.writeInt(doc.attempts());
    out.writeInt(doc.json().length);
    out.write(doc.json());
  }

  @Override
  protected EsDocument deserializeRequestFromStream(long requestSize, DataInputStream in)
      throws IOException {
    String index = in.readUTF();
    String id = in.readUTF();
    Operation operation = operation(in.readByte());
    int attempts = in.readInt();
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    return new EsDocument(index, id, json, operation, attempts);
  }

  @Override
  public BufferedRequestState<EsDocument> deserialize(int version, byte[] serialized)
      throws IOException {
    // the base class does not pass the version down to the per-document read: older versions get
    // their own reader
    return switch (version) {
      case 1 -> new Version1().deserialize(version, serialized);
      case VERSION -> super.deserialize(version, serialized);
      default ->
          throw new IOException(
              "Elasticsearch sink state of version "
                  + version
                  + " is newer than this job (reads 1 to "
                  + VERSION
                  + ")");
    };
  }

  @Override
  public int getVersion() {
    return VERSION;
  }

  /** Stable codes: never renumber, only add. */
  private static int code(Operation operation) {
    return switch (operation) {
      case INDEX -> 0;
      case MERGE -> 1;
    };
  }

  private static Operation operation(byte code) throws IOException {
    return switch (code) {
      case 0 -> Operation.INDEX;
      case 1 -> Operation.MERGE;
      default -> throw new IOException("unknown Elasticsearch operation code " + code);
    };
  }

  /**
   * The version 1 format (no operation: every document was indexed whole), read for checkpoints of
   * older jobs; written only by tests, to make such state.
   */
  static final class Version1 extends AsyncSinkWriterStateSerializer<EsDocument> {
    @Override
    protected void serializeRequestToStream(EsDocument doc, DataOutputStream out)
        throws IOException {
      if (doc.operation() != Operation.INDEX) {
        throw new IOException("version 1 state holds full documents only, not " + doc);
      }
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
      return new EsDocument(index, id, json, Operation.INDEX, attempts);
    }

    @Override
    public int getVersion() {
      return 1;
    }
  }
}
