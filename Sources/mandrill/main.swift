import Foundation
import MandrillCore

// Everything runs off the main actor inside MandrillCommand; this file only exits.
let code = await MandrillCommand.main(arguments: Array(CommandLine.arguments.dropFirst()))
exit(code)
