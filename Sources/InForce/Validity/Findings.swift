extension ValidityIndex {
    /// What looks wrong about a document on a date.
    func findings(
        _ node: Int32, answer: StatusAnswer, events: [LifecycleEvent], on day: Day, policy: FindingPolicy, memo: inout [Int32: StatusAnswer]
    ) -> [Finding] {
        let record = record(node)
        let me = record.key.description
        var findings: [Finding] = []

        // Its bases, and theirs: anything no longer in force, with the chain.
        let upward = trace(node, on: day, relations: [.basis, .implements], memo: &memo)
        /// How a document's force ended, for a message: " from D according to S", and S.
        func ending(_ other: Int32) -> (words: String, source: String?) {
            let reason = status(other, on: day, memo: &memo)
            guard let decided = reason.evidence.last(where: { ["repealed", "expired", "invalidated", "conditional_invalidation"].contains($0.event) }) else {
                return ("", nil)
            }
            var words = decided.date.map { decided.event == "expired" ? " (its validity ended \($0))" : " from \($0)" } ?? ""
            words += " according to \(decided.source)"
            if decided.grade == "third_party" { words += " (reported by a third party)" }
            return (words, decided.source)
        }
        let ended: Set<Status> = [.repealed, .expired, .invalidated]
        for step in upward.steps where ended.contains(step.status) {
            let end = ending(step.node)
            let message = "rests on \(step.document) (\(step.path.count > 2 ? "through " + step.path.dropFirst().dropLast().joined(separator: " → ") : "directly")), which is \(step.status.chinese)" + end.words
            findings.append(Finding(kind: .basisNotInForce, message: message, documents: step.path + (end.source.map { [$0] } ?? [])))
        }
        // A document it only mentions (参照, 按照, a name in passing) that has ended: what it says
        // of it may no longer hold, a lesser thing than resting on it.
        var mentioned: Set<Int32> = []
        for citation in record.citations where citation.relation == .reference {
            guard let target = citation.target, let other = self.node(target), other != node, mentioned.insert(other).inserted else { continue }
            let answer = status(other, on: day, memo: &memo)
            guard ended.contains(answer.status) else { continue }
            let end = ending(other)
            findings.append(Finding(
                kind: .mentionsNotInForce, message: "mentions \(target), which is \(answer.status.chinese)\(end.words): check what it says of it",
                documents: [me, target.description] + (end.source.map { [$0] } ?? []), quote: citation.evidence))
        }
        for cycle in upward.cycles {
            findings.append(Finding(kind: .cycle, message: "its citations go round in a circle: \(cycle.joined(separator: " → "))", documents: cycle))
        }

        // Citations of documents the registry lacks, or issued after it.
        let myDay = record.firstKnownDay
        let myYear = myDay?.year ?? record.number?.year
        for citation in record.citations {
            guard let target = citation.target else { continue }
            guard let other = self.node(target) else {
                if citation.relation != .repeals {
                    findings.append(Finding(kind: .unknownCitation, message: "cites \(target), which is not in the registry", documents: [me, target.description]))
                }
                continue
            }
            let otherRecord = self.record(other)
            // A law's text is its latest version's: it may cite what was made after it was first made.
            if let myDay, let otherDay = otherRecord.firstKnownDay, otherDay > max(myDay, record.versions.last?.date ?? myDay) {
                findings.append(Finding(kind: .citesLaterDocument, message: "cites \(target), issued \(otherDay), after it was issued (\(myDay)): check the number", documents: [me, target.description]))
            } else if myDay == nil || otherRecord.firstKnownDay == nil, let myYear, let otherYear = otherRecord.number?.year ?? otherRecord.firstKnownDay?.year, otherYear > myYear {
                findings.append(Finding(kind: .citesLaterDocument, message: "cites \(target), of \(otherYear), later than its own \(myYear): check the number", documents: [me, target.description]))
            }
        }

        // Kept after its validity had ended.
        if let expiry = events.first(where: { $0.kind == .expired && !$0.thirdParty }), let end = expiry.effectFrom {
            for kept in events where kept.kind == .continued {
                if let date = kept.date, date.earliest >= end.latest {
                    findings.append(Finding(kind: .confirmedAfterExpiry, message: "\(kept.source) kept it (\(date)) after its validity ended (\(expiry.date!))", documents: [me, kept.source]))
                }
            }
        }
        // Notices that disagree, and a notice that disagrees with itself (one list, two outcomes).
        let decisions = events.filter { !$0.thirdParty && [.continued, .repealed, .invalidated].contains($0.kind) && $0.date.map { $0.latest <= day } != false }
        for (index, first) in decisions.enumerated() {
            for second in decisions[(index + 1)...] where first.kind != second.kind {
                if first.source == second.source {
                    findings.append(Finding(
                        kind: .contradictoryDispositions, message: "\(first.source) lists it both as \(first.kind.rawValue) and as \(second.kind.rawValue)",
                        documents: [me, first.source], quote: [first.quote, second.quote].compactMap { $0 }.joined(separator: " / ")))
                    continue
                }
                // Outcomes within half a year of each other answer the same question differently; a
                // repeal years after a notice kept a document is its life going on.
                let close = first.date.flatMap { a in second.date.map { b in abs(a.latest.ordinal - b.latest.ordinal) <= 183 } } ?? true
                if close {
                    findings.append(Finding(kind: .contradictoryDispositions, message: "\(first.source) says \(first.kind.rawValue), \(second.source) says \(second.kind.rawValue)", documents: [me, first.source, second.source]))
                }
            }
        }
        // The latest closed list covering it left it out (its events hold each such silence).
        var leftOut: LifecycleEvent?
        for event in events where event.kind == .invalidated && event.dateNote == LifecycleEvent.closedListNote {
            guard let date = event.date, date.latest <= day else { continue }
            if leftOut.map({ ($0.date?.latest ?? day) < date.latest }) ?? true { leftOut = event }
        }
        if let event = leftOut {
            findings.append(Finding(
                kind: .notOnLatestList,
                message: "\(event.source) (\(event.date!)) cleaned up its issuer's documents with a closed list and did not list it",
                documents: [me, event.source], quote: event.quote))
        }
        // A site's report against the primary evidence.
        let primaryDecides = events.contains { !$0.thirdParty && [.continued, .repealed, .invalidated, .expired, .conditionalInvalidation].contains($0.kind) && ($0.effectFrom?.latest).map { $0 <= day } == true }
        var disagreeing: [String] = []
        for report in events where report.thirdParty && report.kind != .note && primaryDecides && (report.effectFrom?.latest).map({ $0 <= day }) == true {
            let contradicts = (report.kind == .continued && answer.status != .inForce) || (report.ends && answer.status == .inForce)
            // One finding per site: its several notes on one copy are one disagreement.
            if contradicts, !disagreeing.contains(report.source) {
                disagreeing.append(report.source)
                findings.append(Finding(kind: .thirdPartyDisagrees, message: "\(report.source)'s note says \(report.kind.rawValue), but the primary evidence says \(answer.status.rawValue)", documents: [me, report.source]))
            }
        }
        if answer.status == .inForce {
            let rules = rules(for: node)
            let ruleDay = answer.since ?? myDay ?? day
            // Ending soon, by its own words or by a rule's period; and the evaluation a rule asks for before.
            if let ending = events.first(where: { $0.kind == .expired || $0.kind == .conditionalInvalidation || $0.kind == .periodEnded }),
               let end = ending.effectFrom, end.earliest > day
            {
                let lastDay = end.earliest.adding(days: -1)
                let by = ending.grounds == .rule ? " (the period \(ending.source) gives)" : ""
                if end.earliest.ordinal - day.ordinal <= policy.expiringWithinDays {
                    findings.append(Finding(kind: .expiringSoon, message: "its validity ends \(lastDay)\(by), within \(policy.expiringWithinDays) days", documents: [me], quote: ending.grounds == .rule ? ending.quote : nil))
                }
                if let (rule, months) = rules.first(on: ruleDay, \.evaluationLeadMonths), lastDay.adding(months: -months) <= day {
                    findings.append(Finding(
                        kind: .evaluationDue,
                        message: "its validity ends \(lastDay)\(by); \(rule.citation) asks for its evaluation \(months) months before, from \(lastDay.adding(months: -months))",
                        documents: [me], quote: rule.words))
                }
            }
            // Its issuer's cleanups, against the interval its region's rule sets.
            let reviewed = events.filter { [.continued, .amended].contains($0.kind) }.compactMap { $0.date?.latest }.max()
            var cleanupOverdue = false
            if let issuer = issuerName(of: node), let (rule, years) = rules.first(on: day, \.cleanupIntervalYears),
               let existed = myDay ?? yearBound(record)?.bound.latest, existed.adding(years: years) < day
            {
                let latest = cleanupNotices(of: issuer).filter { $0 != node }
                    .compactMap { notice in decisionDate(of: notice).map { (notice, $0.bound) } }
                    .filter { $0.1.earliest <= day }
                    .max { $0.1.latest < $1.1.latest }
                if latest.map({ $0.1.latest.adding(years: years) < day }) ?? true {
                    cleanupOverdue = true
                    let last = latest.map { "its last known cleanup is \(self.record($0.0).key) (\($0.1))" } ?? "no cleanup of its documents is known"
                    findings.append(Finding(
                        kind: .cleanupOverdue, message: "\(issuer): \(last); \(rule.citation) asks for one every \(years) years",
                        documents: [me] + (latest.map { [self.record($0.0).key.description] } ?? []), quote: rule.words))
                }
            }
            // Not reviewed for a long time (the office's own policy, when no rule speaks): the
            // documents offices clean up — 规范性文件 and 规章 — not laws, regulations and
            // interpretations, which their makers amend or repeal.
            let since = reviewed ?? answer.since ?? myDay
            let cleanedUp = record.rank.map { [.departmentalRule, .localGovernmentRule, .normativeDocument].contains($0) } ?? true
            if !cleanupOverdue, cleanedUp, let since, day > since.adding(years: policy.reviewYears) {
                findings.append(Finding(kind: .reviewOverdue, message: reviewed == nil ? "no cleanup has reviewed it since \(since), over \(policy.reviewYears) years ago" : "last reviewed \(since), over \(policy.reviewYears) years ago", documents: [me]))
            }
        }
        // Each finding once. A document has a handful, so a linear check beats hashing their
        // messages (String hashing normalises: it showed in the audit's profile).
        var unique: [Finding] = []
        unique.reserveCapacity(findings.count)
        for finding in findings where !unique.contains(where: { $0.kind == finding.kind && $0.documents == finding.documents && $0.message == finding.message }) {
            unique.append(finding)
        }
        return unique
    }
}
