import Logging
import SweeplineCLI

/// `@main` rather than top-level code, which would pick ArgumentParser's synchronous entry point.
@main
enum Entry {
    static func main() async {
        // Logs go to stderr; stdout is for what commands print (tables, JSON, addresses).
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        await Sweepline.main()
    }
}
