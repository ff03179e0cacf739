package dev.mallard.engine.catalog;

/**
 * A schema visible at some snapshot.
 *
 * @param path the schema's absolute directory, ending with '/'
 */
public record SchemaInfo(long id, String uuid, String name, String path) {}
