import CLMDB

/// Namespace of the LMDB event log.
public enum EventLog {
    /// liblmdb version string, proves the system library links.
    public static var lmdbVersion: String { String(cString: mdb_version(nil, nil, nil)) }
}
