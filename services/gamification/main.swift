import Gamification
import ServiceKit

await ServiceRuntime.main { reader in try await buildApplication(reader: reader) }
