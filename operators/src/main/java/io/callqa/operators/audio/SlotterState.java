package io.callqa.operators.audio;

import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The slotter's keyed state, per channel key. All three are cleared when the channel closes (the
 * tombstone in {@link #CHANNEL} is cleared by its retention timer).
 *
 * <ul>
 *   <li>{@link #CHANNEL}: a {@link ChannelState} POJO, about 1 KB (counters, resampler and VAD
 *       state, timers).
 *   <li>{@link #REORDER_BUFFER}: seq → {@link PendingChunk}, at most {@code reorderBufferChunks}.
 *   <li>{@link #AUDIO}: the 16 kHz audio the segmenter may still need, as appended pieces (a list
 *       append is cheap in RocksDB); bounded by the open slot (≤ 30 s) plus padding.
 * </ul>
 */
public final class SlotterState {

  public static ValueStateDescriptor<ChannelState> channel() {
    return new ValueStateDescriptor<>("slotter-channel", TypeInformation.of(ChannelState.class));
  }

  public static MapStateDescriptor<Long, PendingChunk> reorderBuffer() {
    return new MapStateDescriptor<>(
        "slotter-reorder-buffer", Types.LONG, TypeInformation.of(PendingChunk.class));
  }

  public static ListStateDescriptor<short[]> audio() {
    return new ListStateDescriptor<>(
        "slotter-audio", PrimitiveArrayTypeInfo.SHORT_PRIMITIVE_ARRAY_TYPE_INFO);
  }

  /** Names, for tests and the docs. */
  public static final String CHANNEL = "slotter-channel";

  public static final String REORDER_BUFFER = "slotter-reorder-buffer";
  public static final String AUDIO = "slotter-audio";

  private SlotterState() {}
}
