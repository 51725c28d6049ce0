/// A command template that cannot be used, or a request it cannot safely be filled with.
///
/// Sendable: a value type.
public enum CommandTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The template has no arguments, or its first argument is empty.
    case emptyCommand
    /// An argument names a placeholder that does not exist, such as `{hostnme}`.
    case unknownPlaceholder(name: String, argumentIndex: Int)
    /// A request value is empty, starts with `-` or holds characters other than
    /// letters, digits, `.`, `_`, `:` and `-`; it would be unsafe as an argument.
    case unsafeValue(placeholder: String, value: String)

    public var description: String {
        switch self {
        case .emptyCommand:
            return "command is empty"
        case .unknownPlaceholder(let name, let index):
            let known = CommandTemplate.Placeholder.allCases.map { "{\($0.rawValue)}" }
            return "unknown placeholder {\(name)} in argument \(index); known: \(known.joined(separator: ", "))"
        case .unsafeValue(let placeholder, let value):
            return "refusing to substitute {\(placeholder)} with unsafe value \"\(value)\""
        }
    }
}
