import Foundation
import MandrillCore

// Before any thread allocates: a pool thread's malloc arena takes the pad only when it
// is created (see `HeapGrowth`). Harmless for the short-lived commands.
HeapGrowth.reserveAhead()
// Everything runs off the main actor inside MandrillCommand; this file only exits.
let code = await MandrillCommand.main(arguments: Array(CommandLine.arguments.dropFirst()))
exit(code)
