package io.callqa.operators.sinks.elasticsearch;

import java.io.Serializable;

/** Turns a record into the document that represents it in Elasticsearch. */
@FunctionalInterface
public interface EsDocumentMapper<T> extends Serializable {
  EsDocument toDocument(T record);
}
