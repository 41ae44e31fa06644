import Foundation

/// A bar chart drawn by the server as SVG: labelled for screen readers (`role="img"`, `<title>`, `<desc>`,
/// `aria-labelledby`), with nothing from other sites and no script. Suppressed bars (too few people) are drawn as a
/// dashed outline at the baseline, and the page gives the same numbers as a table.
struct MagnitudeChart {
    struct Bar {
        /// Shown under the bar on some bars, and in the bar's tooltip.
        let label: String
        /// Nil when the count is suppressed.
        let value: Int?
    }

    let id: String
    let title: String
    let description: String
    let bars: [Bar]
    /// Words for a suppressed bar's tooltip ("fewer than 10").
    let suppressedLabel: String
    /// Label every nth bar on the axis.
    var labelEvery = 6

    static let width = 720
    static let height = 240
    static let left = 48
    static let bottom = 28
    static let top = 12

    var svg: String {
        let plotWidth = Double(Self.width - Self.left - 8)
        let plotHeight = Double(Self.height - Self.bottom - Self.top)
        let highest = max(bars.compactMap(\.value).max() ?? 0, 1)
        let scale = Self.niceCeiling(highest)
        let slot = bars.isEmpty ? plotWidth : plotWidth / Double(bars.count)
        let barWidth = max(1, slot * 0.75)
        let baseline = Double(Self.top) + plotHeight
        var parts: [String] = []
        parts.append(
            """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(Self.width) \(Self.height)" width="100%" \
            role="img" aria-labelledby="\(id)-title \(id)-desc" preserveAspectRatio="xMidYMid meet">
            <title id="\(id)-title">\(VoiceHTML.escape(title))</title>
            <desc id="\(id)-desc">\(VoiceHTML.escape(description))</desc>
            """
        )
        for step in 0...4 {
            let value = scale * step / 4
            let y = baseline - plotHeight * Double(step) / 4
            parts.append(
                "<line x1=\"\(Self.left)\" y1=\"\(Self.fmt(y))\" x2=\"\(Self.width - 8)\" y2=\"\(Self.fmt(y))\" stroke=\"#d8d4e0\" stroke-width=\"1\"/>"
            )
            parts.append(
                "<text x=\"\(Self.left - 6)\" y=\"\(Self.fmt(y + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"#4a4458\">\(value.groupedText)</text>"
            )
        }
        for (index, bar) in bars.enumerated() {
            let x = Double(Self.left) + slot * Double(index) + (slot - barWidth) / 2
            if let value = bar.value {
                let height = plotHeight * Double(value) / Double(scale)
                parts.append(
                    "<rect x=\"\(Self.fmt(x))\" y=\"\(Self.fmt(baseline - height))\" width=\"\(Self.fmt(barWidth))\" height=\"\(Self.fmt(height))\" "
                        + "fill=\"#6b3fa0\"><title>\(VoiceHTML.escape(bar.label)): \(value.groupedText)</title></rect>"
                )
            } else {
                parts.append(
                    "<rect x=\"\(Self.fmt(x))\" y=\"\(Self.fmt(baseline - 6))\" width=\"\(Self.fmt(barWidth))\" height=\"6\" fill=\"none\" "
                        + "stroke=\"#8a8499\" stroke-dasharray=\"2 2\"><title>\(VoiceHTML.escape(bar.label)): \(VoiceHTML.escape(suppressedLabel))</title></rect>"
                )
            }
            if index % max(labelEvery, 1) == 0 || index == bars.count - 1 {
                parts.append(
                    "<text x=\"\(Self.fmt(x + barWidth / 2))\" y=\"\(Self.height - 10)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#4a4458\">"
                        + "\(VoiceHTML.escape(bar.label))</text>"
                )
            }
        }
        parts.append(
            "<line x1=\"\(Self.left)\" y1=\"\(Self.fmt(baseline))\" x2=\"\(Self.width - 8)\" y2=\"\(Self.fmt(baseline))\" stroke=\"#4a4458\" stroke-width=\"1\"/>"
        )
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// The smallest of 1, 2, 5 × 10ⁿ (times 4, for four gridlines) at or above `value`.
    static func niceCeiling(_ value: Int) -> Int {
        var magnitude = 1
        while true {
            for step in [1, 2, 5] where step * magnitude * 4 >= value { return step * magnitude * 4 }
            magnitude *= 10
        }
    }

    static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}

/// The embeddable badge: "N people said me too", as a small standalone SVG.
enum MagnitudeBadge {
    static func svg(text: String) -> String {
        let label = "Chorus"
        let labelWidth = 14 + label.count * 7
        let textWidth = 14 + text.count * 7
        let width = labelWidth + textWidth
        let escaped = VoiceHTML.escape(text)
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="22" viewBox="0 0 \(width) 22" role="img" aria-labelledby="badge-title">
            <title id="badge-title">\(escaped)</title>
            <rect width="\(labelWidth)" height="22" rx="3" fill="#2d2640"/>
            <rect x="\(labelWidth)" width="\(textWidth)" height="22" rx="3" fill="#6b3fa0"/>
            <g font-family="Verdana, DejaVu Sans, sans-serif" font-size="12" fill="#ffffff">
            <text x="7" y="15">\(label)</text>
            <text x="\(labelWidth + 7)" y="15">\(escaped)</text>
            </g>
            </svg>

            """
    }
}
