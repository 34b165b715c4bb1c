import Configuration
import Foundation

extension ConfigReader {
    /// One reader per process: command line (`--learning-http-port 9000`), environment
    /// (`LEARNING_HTTP_PORT`), the `.env` file in the working directory, then built-in defaults.
    public static func lyceum(arguments: [String] = CommandLine.arguments) async throws -> ConfigReader {
        ConfigReader(providers: [
            CommandLineArgumentsProvider(arguments: arguments),
            EnvironmentVariablesProvider(),
            try await EnvironmentVariablesProvider(environmentFilePath: ".env", allowMissing: true),
        ])
    }
}
