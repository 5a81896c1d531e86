/// Text made safe to place in HTML or SVG, in element content and in double-quoted attributes.
///
/// Model names, engine flags and invalid reasons come from users and engines; any of them may
/// hold `<`, `&` or `"`, and the report must show them as written rather than as markup.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
