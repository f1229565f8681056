import Logging

/// CLIs log warnings and errors only, as masked text on standard error.
public enum CLILogger {
    public static func make(_ label: String) -> Logger {
        var logger = Logger(label: label) { label in MaskedTextLogHandler(label: label) }
        logger.logLevel = .warning
        return logger
    }
}
