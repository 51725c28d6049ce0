/// An argv whose arguments may contain `{hostname}`, `{instance}`, `{message_id}` and
/// `{attempt}`, filled in per restart request.
///
/// Sendable: a value type. A placeholder is `{name}` with `name` a letter or `_` followed
/// by letters, digits or `_`; it may sit anywhere inside an argument (`--host={hostname}`).
/// Other braces are literal (`{}`, `{print $1}`), and so is `${name}`, which belongs to a
/// shell script run with `sh -c`. Values are checked before substitution (see
/// `CommandTemplateError.unsafeValue`), so a hostname can never become an option such as
/// `-oProxyCommand=…`. With `sh -c`, pass values as positional arguments
/// (`sh -c 'restart "$1"' sh {hostname}`) rather than inside the script text.
public struct CommandTemplate: Sendable, Equatable {
    /// The placeholders a template may use.
    public enum Placeholder: String, Sendable, CaseIterable {
        /// `RestartRequest.hostname`.
        case hostname
        /// `RestartRequest.instanceName`.
        case instance
        /// `RestartRequest.messageID`.
        case messageID = "message_id"
        /// `RestartRequest.attempt`.
        case attempt
    }

    private enum Piece: Sendable, Equatable {
        case literal(String)
        case placeholder(Placeholder)
    }

    /// The arguments as configured, placeholders unfilled.
    public let arguments: [String]
    private let pieces: [[Piece]]

    /// Parses `arguments`; throws on an empty command or an unknown placeholder.
    public init(_ arguments: [String]) throws(CommandTemplateError) {
        guard let first = arguments.first, !first.isEmpty else {
            throw .emptyCommand
        }
        self.arguments = arguments
        var pieces: [[Piece]] = []
        for (index, argument) in arguments.enumerated() {
            pieces.append(try Self.parse(argument, index: index))
        }
        self.pieces = pieces
    }

    /// The argv for `request`; throws `unsafeValue` when a used value is unsafe.
    public func arguments(for request: RestartRequest) throws(CommandTemplateError) -> [String] {
        var filled: [String] = []
        for argument in pieces {
            var text = ""
            for piece in argument {
                switch piece {
                case .literal(let literal):
                    text += literal
                case .placeholder(let placeholder):
                    text += try Self.value(of: placeholder, in: request)
                }
            }
            filled.append(text)
        }
        return filled
    }

    private static func value(of placeholder: Placeholder, in request: RestartRequest) throws(CommandTemplateError) -> String {
        let value = switch placeholder {
        case .hostname: request.hostname
        case .instance: request.instanceName
        case .messageID: request.messageID.rawValue
        case .attempt: String(request.attempt)
        }
        let safe = !value.isEmpty && !value.hasPrefix("-") && value.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_:".unicodeScalars.contains($0))
        }
        guard safe else {
            throw .unsafeValue(placeholder: placeholder.rawValue, value: value)
        }
        return value
    }

    private static func parse(_ argument: String, index: Int) throws(CommandTemplateError) -> [Piece] {
        let characters = Array(argument)
        var pieces: [Piece] = []
        var literal = ""
        var position = 0
        while position < characters.count {
            let character = characters[position]
            let afterDollar = position > 0 && characters[position - 1] == "$"
            if character == "{", !afterDollar, let end = nameEnd(in: characters, from: position + 1) {
                let name = String(characters[(position + 1)..<end])
                guard let placeholder = Placeholder(rawValue: name) else {
                    throw .unknownPlaceholder(name: name, argumentIndex: index)
                }
                if !literal.isEmpty {
                    pieces.append(.literal(literal))
                    literal = ""
                }
                pieces.append(.placeholder(placeholder))
                position = end + 1
            } else {
                literal.append(character)
                position += 1
            }
        }
        if !literal.isEmpty {
            pieces.append(.literal(literal))
        }
        return pieces
    }

    /// The index of the `}` closing an identifier that starts at `start`, if there is one.
    private static func nameEnd(in characters: [Character], from start: Int) -> Int? {
        var position = start
        while position < characters.count {
            let character = characters[position]
            if character == "}" {
                return position > start ? position : nil
            }
            let isIdentifier = character == "_" || (character.isASCII && character.isLetter)
                || (position > start && character.isASCII && character.isNumber)
            guard isIdentifier else { return nil }
            position += 1
        }
        return nil
    }
}
