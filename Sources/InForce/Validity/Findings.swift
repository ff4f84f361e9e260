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
        for step in upward.steps where [.repealed, .expired, .invalidated].contains(step.status) {
            let reason = status(step.node, on: day, memo: &memo)
            let decided = reason.evidence.last { ["repealed", "expired", "invalidated", "conditional_invalidation"].contains($0.event) }
            var message = "rests on \(step.document) (\(step.path.count > 2 ? "through " + step.path.dropFirst().dropLast().joined(separator: " → ") : "directly")), which is \(step.status.chinese)"
            if let decided {
                message += decided.date.map { decided.event == "expired" ? " (its validity ended \($0))" : " from \($0)" } ?? ""
                message += " according to \(decided.source)"
                if decided.grade == "third_party" { message += " (reported by a third party)" }
            }
            findings.append(Finding(kind: .basisNotInForce, message: message, documents: step.path + (decided.map { [$0.source] } ?? [])))
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
            if let myDay, let otherDay = otherRecord.firstKnownDay, otherDay > myDay {
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
        // Notices that disagree.
        let decisions = events.filter { !$0.thirdParty && [.continued, .repealed, .invalidated].contains($0.kind) && $0.date.map { $0.latest <= day } != false }
        for (index, first) in decisions.enumerated() {
            for second in decisions[(index + 1)...] where first.kind != second.kind && first.source != second.source {
                // Outcomes within half a year of each other answer the same question differently; a
                // repeal years after a notice kept a document is its life going on.
                let close = first.date.flatMap { a in second.date.map { b in abs(a.latest.ordinal - b.latest.ordinal) <= 183 } } ?? true
                if close {
                    findings.append(Finding(kind: .contradictoryDispositions, message: "\(first.source) says \(first.kind.rawValue), \(second.source) says \(second.kind.rawValue)", documents: [me, first.source, second.source]))
                }
            }
        }
        // A site's report against the primary evidence.
        let primaryDecides = events.contains { !$0.thirdParty && [.continued, .repealed, .invalidated, .expired, .conditionalInvalidation].contains($0.kind) && ($0.effectFrom?.latest).map { $0 <= day } == true }
        for report in events where report.thirdParty && report.kind != .note && primaryDecides && (report.effectFrom?.latest).map({ $0 <= day }) == true {
            let contradicts = (report.kind == .continued && answer.status != .inForce) || (report.ends && answer.status == .inForce)
            if contradicts {
                findings.append(Finding(kind: .thirdPartyDisagrees, message: "\(report.source)'s note says \(report.kind.rawValue), but the primary evidence says \(answer.status.rawValue)", documents: [me, report.source]))
            }
        }
        if answer.status == .inForce {
            // Ending soon.
            if let end = events.first(where: { $0.kind == .expired || $0.kind == .conditionalInvalidation })?.effectFrom, end.earliest > day,
               end.earliest.ordinal - day.ordinal <= policy.expiringWithinDays
            {
                findings.append(Finding(kind: .expiringSoon, message: "its validity ends \(end.earliest.adding(days: -1)), within \(policy.expiringWithinDays) days", documents: [me]))
            }
            // Not reviewed for a long time.
            let reviewed = events.filter { [.continued, .amended].contains($0.kind) }.compactMap { $0.date?.latest }.max()
            let since = reviewed ?? answer.since ?? myDay
            if let since, day > since.adding(years: policy.reviewYears) {
                findings.append(Finding(kind: .reviewOverdue, message: reviewed == nil ? "no cleanup has reviewed it since \(since), over \(policy.reviewYears) years ago" : "last reviewed \(since), over \(policy.reviewYears) years ago", documents: [me]))
            }
        }
        return findings
    }
}

