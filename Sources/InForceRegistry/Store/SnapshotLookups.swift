public import InForce

extension RegistrySnapshot {
    /// The records for `key`, or an error naming the nearest keys the registry holds.
    public func requireRecords(for key: DocumentKey, place: String = "the registry") throws(UnknownName) -> [StoredRecord] {
        let found = records(for: key)
        guard found.isEmpty else { return found }
        var nearest = NearestKeys(to: key)
        for stored in records { nearest.consider(stored.record.key.description) }
        throw UnknownName(.document, key.description, nearest: nearest.nearest, place: place)
    }

    /// Throws unless `name` is an issuer of `issuers.toml` (a full name or a code) or one that a
    /// record names (its issuer, or the 代字 of its number), naming the nearest.
    public func requireIssuer(_ name: String, place: String = "the registry") throws(UnknownName) {
        try issuers.requireIssuer(name, recordNames: { records.flatMap { [$0.record.issuer, $0.record.number?.agency].compactMap { $0 } } }, place: place)
    }
}
