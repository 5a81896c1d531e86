import SweeplineCLI

/// `@main` rather than top-level code, which would pick ArgumentParser's synchronous entry point.
@main
enum Entry {
    static func main() async {
        await Sweepline.main()
    }
}
