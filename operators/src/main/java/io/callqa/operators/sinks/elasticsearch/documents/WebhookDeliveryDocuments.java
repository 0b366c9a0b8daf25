package io.callqa.operators.sinks.elasticsearch.documents;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callqa.operators.sinks.elasticsearch.EsDocument;
import io.callqa.operators.sinks.elasticsearch.EsDocumentMapper;
import io.callqa.schemas.WebhookDelivery;
import java.time.Instant;

/**
 * A webhook delivery outcome (one per alert and endpoint) in {@value #INDEX}, id = deliveryId: the
 * audit log of deliveries, across days and tenants, also after an alert's daily index is gone. The
 * alert's own document holds the latest outcome per endpoint too ({@link AlertDeliveryDocuments}).
 */
public final class WebhookDeliveryDocuments implements EsDocumentMapper<WebhookDelivery> {
  private static final long serialVersionUID = 1L;
  public static final String INDEX = "callqa-webhook-deliveries";

  private final AvroJson avro = AvroJson.skippingBytes();

  @Override
  public EsDocument toDocument(WebhookDelivery d) {
    ObjectNode json = avro.toJson(d);
    if (d.getCompletedAtEpochMs() > 0) {
      json.put("@timestamp", Instant.ofEpochMilli(d.getCompletedAtEpochMs()).toString());
    }
    return new EsDocument(INDEX, d.getDeliveryId(), DocumentFields.bytes(json));
  }
}
