/**
 * DuckLake catalogs as Calcite schemas: tables whose scans absorb projections and filters.
 *
 * <p>The style below makes Immutables generate rule configs the way Calcite's own are generated
 * (Calcite's style is declared on its package and does not reach ours).
 */
@Value.Style(
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    defaults = @Value.Immutable(builder = true, singleton = true),
    get = {"is*", "get*"},
    init = "with*",
    passAnnotations = SuppressWarnings.class)
package dev.mallard.calcite;

import org.immutables.value.Value;
