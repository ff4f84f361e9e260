import Foundation
public import InForce

/// `audit.toml` in a registry: thresholds, and findings set aside with a reason and an expiry.
///
/// ```toml
/// expiring_within_days = 90
/// review_years = 2
/// stale_after_days = 730
///
/// [[ignore]]
/// kind = "unknown_citation"
/// document = "绍政办发〔2016〕11号"   # optional: every document when absent
/// reason = "国发〔2006〕5号 is outside this office's registry"
/// until = 2027-01-01                  # optional
/// ```
public enum AuditConfigFile {
    public static let name = "audit.toml"

    public static func decode(_ text: String, origin: String) -> (settings: AuditSettings, problems: [RegistryProblem]) {
        var root: TableReader
        switch TableReader.parse(text, origin: origin) {
        case .success(let reader): root = reader
        case .failure(let problem): return (AuditSettings(), [problem])
        }
        var settings = AuditSettings()
        if let days = root.int("expiring_within_days") { settings.policy.expiringWithinDays = days }
        if let years = root.int("review_years") { settings.policy.reviewYears = years }
        if let days = root.int("stale_after_days") { settings.staleAfterDays = days }
        for var entry in root.tables("ignore") {
            let kindText = entry.string("kind", required: true)
            let kind = kindText.flatMap(Finding.Kind.init(rawValue:))
            if let kindText, kind == nil {
                entry.fail("kind", "ignore.kind '\(kindText)' must be one of \(Finding.Kind.allCases.map(\.rawValue).joined(separator: " | "))")
            }
            let document = entry.string("document").flatMap { try? DocumentKey(parsing: $0) }
            let reason = entry.string("reason", required: true)
            let until = entry.day("until")
            if let kind, let reason { settings.ignores.append(AuditIgnore(kind: kind, document: document, reason: reason, until: until)) }
            root.merge(entry)
        }
        return (settings, root.finished())
    }
}

extension Registry {
    /// The registry's audit settings, or the defaults when it has no `audit.toml`.
    public func auditSettings() throws(RegistryError) -> AuditSettings {
        let url = root.appendingPathComponent(AuditConfigFile.name)
        guard FileManager.default.fileExists(atPath: url.path) else { return AuditSettings() }
        switch readText(AuditConfigFile.name) {
        case .failure(let problem):
            throw RegistryError(.invalidRegistry, problem.description)
        case .success(let text):
            let (settings, problems) = AuditConfigFile.decode(text, origin: AuditConfigFile.name)
            if let problem = problems.first(where: { $0.severity == .error }) {
                var located = problem
                located.line = located.line ?? problem.field.flatMap { LineLocator.line(of: $0, in: text) }
                throw RegistryError(.invalidRegistry, located.description)
            }
            return settings
        }
    }
}
