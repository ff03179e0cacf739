package dev.mallard.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** A batch's record of which vectors hold dictionary text, when its vectors change. */
class BatchTest {
  @Test
  void aWiderRootKeepsTheDictionariesOfTheVectorsItStillHoldsOnly() {
    try (BufferAllocator allocator = new RootAllocator()) {
      VarCharVector kept = new VarCharVector("kept", allocator);
      VarCharVector dropped = new VarCharVector("dropped", allocator);
      Batch batch = new Batch(new VectorSchemaRoot(List.<FieldVector>of(kept, dropped)), 0);
      Batch.TextDictionary text = new Batch.TextDictionary(new byte[] {'a', 'b'}, new int[] {0, 1}, new int[] {1, 1}, 2);
      batch.setDictionary(0, new Batch.Dictionary(new int[] {1}, text));
      batch.setDictionary(1, new Batch.Dictionary(new int[] {0}, text));
      assertThat(text.strings()).containsExactly("a", "b");

      dropped.close();
      BigIntVector added = new BigIntVector("added", allocator);
      BigIntVector more = new BigIntVector("more", allocator);
      try (Batch wider = batch.withVectors(new VectorSchemaRoot(List.<FieldVector>of(kept, added, more)))) {
        assertThat(wider.dictionary(0)).isSameAs(batch.dictionary(0));
        assertThat(wider.dictionary(1)).isNull(); // another vector at the index now
        assertThat(wider.dictionary(2)).isNull();
      }
    }
  }
}
