import Foundation

/// One chart of the report as inline SVG: a framed plot with 1-2-5 ticks and grid lines, lines
/// (frontiers, traces) under markers, and a `<title>` on every marker that browsers show as a
/// tooltip. Colours and strokes come from the report's stylesheet (classes), so the markup stays
/// small and the look is set in one place.
struct ScatterChart {
    /// How a marker is drawn: points on a frontier stand out, dominated points recede, invalid
    /// points are hollow.
    enum Emphasis {
        case frontier, dominated, invalid
    }

    struct Marker {
        var x: Double
        var y: Double
        var style: ReportPalette.Style
        var emphasis: Emphasis
        var tooltip: String
    }

    struct Line {
        enum Kind {
            /// A Pareto frontier: bold.
            case frontier
            /// One deployment across its concurrencies: thin and faint.
            case trace
        }

        var points: [(x: Double, y: Double)]
        var color: String
        var kind: Kind
    }

    var xLabel: String
    var yLabel: String
    var xScale: AxisScale
    var yScale: AxisScale
    var markers: [Marker]
    var lines: [Line]

    // The drawing's own coordinates; CSS scales the SVG to the width it is given.
    static let width = 560.0
    static let height = 340.0
    static let left = 66.0
    static let right = 16.0
    static let top = 12.0
    static let bottom = 48.0
    static var plotWidth: Double { width - left - right }
    static var plotHeight: Double { height - top - bottom }

    func svg() -> String {
        let (w, h) = (Self.width, Self.height)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(w)) \(n(h))\" role=\"img\""
        out += " aria-label=\"\(HTMLText.escape(yLabel)) against \(HTMLText.escape(xLabel))\">"
        out += "<rect class=\"plot\" x=\"\(n(Self.left))\" y=\"\(n(Self.top))\" width=\"\(n(Self.plotWidth))\""
        out += " height=\"\(n(Self.plotHeight))\"/>"
        out += grid()
        out += axisTitles()
        for line in lines { out += polyline(line) }
        // Frontier markers last, so the points that matter are never hidden under the others.
        for emphasis in [Emphasis.invalid, .dominated, .frontier] {
            for marker in markers where marker.emphasis == emphasis { out += draw(marker) }
        }
        if !markers.contains(where: { xScale.canPlace($0.x) && yScale.canPlace($0.y) }) {
            out += "<text class=\"empty\" x=\"\(n(Self.left + Self.plotWidth / 2))\""
            out += " y=\"\(n(Self.top + Self.plotHeight / 2))\" text-anchor=\"middle\">No points to show</text>"
        }
        return out + "</svg>"
    }

    private func px(_ x: Double) -> Double { Self.left + xScale.fraction(x) * Self.plotWidth }
    private func py(_ y: Double) -> Double { Self.top + (1 - yScale.fraction(y)) * Self.plotHeight }

    private func grid() -> String {
        var out = "<g class=\"grid\">"
        let bottomEdge = Self.top + Self.plotHeight
        for tick in xScale.ticks {
            let x = px(tick)
            out += "<line x1=\"\(n(x))\" y1=\"\(n(Self.top))\" x2=\"\(n(x))\" y2=\"\(n(bottomEdge))\"/>"
        }
        for tick in yScale.ticks {
            let y = py(tick)
            out +=
                "<line x1=\"\(n(Self.left))\" y1=\"\(n(y))\" x2=\"\(n(Self.left + Self.plotWidth))\" y2=\"\(n(y))\"/>"
        }
        out += "</g><g class=\"ticks\">"
        for tick in xScale.ticks {
            let label = ReportNumber.tick(tick, axisMaximum: xScale.upper)
            out += "<text x=\"\(n(px(tick)))\" y=\"\(n(bottomEdge + 16))\" text-anchor=\"middle\">\(label)</text>"
        }
        for tick in yScale.ticks {
            let label = ReportNumber.tick(tick, axisMaximum: yScale.upper)
            out += "<text x=\"\(n(Self.left - 7))\" y=\"\(n(py(tick) + 4))\" text-anchor=\"end\">\(label)</text>"
        }
        return out + "</g>"
    }

    private func axisTitles() -> String {
        let centerX = Self.left + Self.plotWidth / 2
        let centerY = Self.top + Self.plotHeight / 2
        return "<text class=\"axis-title\" x=\"\(n(centerX))\" y=\"\(n(Self.height - 10))\" text-anchor=\"middle\">"
            + HTMLText.escape(xLabel) + "</text>"
            + "<text class=\"axis-title\" transform=\"translate(16 \(n(centerY))) rotate(-90)\" text-anchor=\"middle\">"
            + HTMLText.escape(yLabel) + "</text>"
    }

    private func polyline(_ line: Line) -> String {
        let placed = line.points.filter { xScale.canPlace($0.x) && yScale.canPlace($0.y) }
        guard placed.count > 1 else { return "" }
        let coordinates = placed.map { "\(n(px($0.x))),\(n(py($0.y)))" }.joined(separator: " ")
        let kind = line.kind == .frontier ? "frontier" : "trace"
        return "<polyline class=\"\(kind)\" stroke=\"\(line.color)\" points=\"\(coordinates)\"/>"
    }

    private func draw(_ marker: Marker) -> String {
        guard xScale.canPlace(marker.x), yScale.canPlace(marker.y) else { return "" }
        let (x, y) = (px(marker.x), py(marker.y))
        let r: Double
        let paint: String
        switch marker.emphasis {
        case .frontier:
            r = 5
            paint = "class=\"mk on\" fill=\"\(marker.style.color)\""
        case .dominated:
            r = 4
            paint = "class=\"mk off\" fill=\"\(marker.style.color)\" stroke=\"\(marker.style.color)\""
        case .invalid:
            r = 4.2
            paint = "class=\"mk invalid\" stroke=\"\(marker.style.color)\""
        }
        let title = "<title>\(HTMLText.escape(marker.tooltip))</title>"
        switch marker.style.shape {
        case .circle:
            return "<circle \(paint) cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\">\(title)</circle>"
        case .square:
            let side = r * 1.75
            return "<rect \(paint) x=\"\(n(x - side / 2))\" y=\"\(n(y - side / 2))\" width=\"\(n(side))\""
                + " height=\"\(n(side))\">\(title)</rect>"
        case .triangle:
            let path =
                "M\(n(x)) \(n(y - r * 1.2))L\(n(x + r * 1.1)) \(n(y + r * 0.8))L\(n(x - r * 1.1)) \(n(y + r * 0.8))Z"
            return "<path \(paint) d=\"\(path)\">\(title)</path>"
        case .diamond:
            let d = r * 1.3
            let path = "M\(n(x)) \(n(y - d))L\(n(x + d)) \(n(y))L\(n(x)) \(n(y + d))L\(n(x - d)) \(n(y))Z"
            return "<path \(paint) d=\"\(path)\">\(title)</path>"
        }
    }

    /// Coordinates to a tenth of a unit: finer is invisible and only makes the file larger.
    private func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }
}
