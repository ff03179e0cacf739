package dev.mallard.engine.txn;

import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.util.List;

/**
 * The type changes DuckLake allows on a column: widenings every value of the old type survives,
 * so files written before keep being read through the new type (ducklake-format.md, type promotion).
 */
final class TypePromotions {
  private static final List<List<TypeKind>> CHAINS = List.of(
      List.of(TypeKind.INT8, TypeKind.INT16, TypeKind.INT32, TypeKind.INT64),
      List.of(TypeKind.UINT8, TypeKind.UINT16, TypeKind.UINT32, TypeKind.UINT64),
      List.of(TypeKind.FLOAT32, TypeKind.FLOAT64));

  private TypePromotions() {}

  static boolean allowed(DuckLakeType from, DuckLakeType to) {
    TypeKind a = from.kind();
    TypeKind b = to.kind();
    for (List<TypeKind> chain : CHAINS) {
      if (chain.contains(a) && chain.contains(b)) {
        return chain.indexOf(a) < chain.indexOf(b);
      }
    }
    return false;
  }
}
