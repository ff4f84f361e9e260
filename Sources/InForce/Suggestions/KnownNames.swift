extension IssuerTable {
    /// Every name an issuer goes by here: each full name, then its 代字 and decree series.
    public var names: [String] { issuers.map(\.name) + issuers.flatMap(\.codes) }

    /// Whether the table knows `name` as an issuer's full name or one of its codes.
    public func knows(_ name: String) -> Bool { issuer(named: name) != nil || issuer(forCode: name) != nil }

    /// Throws unless `name` is an issuer of the table or one that records name; `recordNames`
    /// (the issuers and 代字 records give) is asked for only when the table does not know it.
    public func requireIssuer(_ name: String, recordNames: () -> [String], place: String = "the registry") throws(UnknownName) {
        if knows(name) { return }
        let named = recordNames()
        if named.contains(name) { return }
        throw UnknownName(.issuer, name, nearest: Suggestions.nearest(to: name, among: names + named), place: place)
    }
}

extension RegionTable {
    /// Throws unless `name` is a region of the table or one an issuer belongs to.
    public func requireRegion(_ name: String, issuers: IssuerTable, place: String = "the registry") throws(UnknownName) {
        let known = regions.map(\.name) + issuers.issuers.compactMap(\.region)
        if known.contains(name) { return }
        throw UnknownName(.region, name, nearest: Suggestions.nearest(to: name, among: known), place: place)
    }
}

extension ValidityIndex {
    /// Throws unless the issuer or region of `scope` is one the registry knows (an issuer or
    /// region with no documents is known, and audits to an empty report), naming the nearest.
    public func requireKnown(_ scope: AuditScope, place: String = "the registry") throws(UnknownName) {
        switch scope {
        case .all:
            return
        case .issuer(let name):
            try issuers.requireIssuer(name, recordNames: { graph.issuerNames() + nodes.compactMap { record($0).number?.agency } }, place: place)
        case .region(let name):
            try regions.requireRegion(name, issuers: issuers, place: place)
        }
    }
}
