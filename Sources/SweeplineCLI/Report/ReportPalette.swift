/// The colour and marker shape of each frontier group (hardware · engine · precision), the same
/// in every chart, legend and table of one report so a reader learns them once.
///
/// Shapes vary alongside colours so that groups stay apart for colour-blind readers and in print.
struct ReportPalette {
    enum Shape: CaseIterable {
        case circle, square, triangle, diamond
    }

    struct Style: Hashable {
        var color: String
        var shape: Shape
    }

    /// Tableau 10 without its yellow, which is too faint on white: distinct hues of similar weight.
    static let colors = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#b07aa1", "#ff9da7", "#9c755f", "#79706e",
    ]

    private let styles: [String: Style]

    /// Styles are handed out in sorted group order, so the same sweep always gets the same colours.
    init(groups: some Sequence<String>) {
        var styles: [String: Style] = [:]
        for (index, group) in Set(groups).sorted().enumerated() {
            styles[group] = Style(
                color: Self.colors[index % Self.colors.count],
                shape: Shape.allCases[index % Shape.allCases.count])
        }
        self.styles = styles
    }

    func style(for group: String) -> Style {
        styles[group] ?? Style(color: "#79706e", shape: .circle)
    }
}
