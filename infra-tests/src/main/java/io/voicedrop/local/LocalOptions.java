package io.voicedrop.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to start the local pipeline.
 *
 * @param awsEndpoint          an existing AWS-protocol endpoint (e.g. LocalStack), or null to start an emulator
 * @param fishBaseUrl          the upstream (the simulator's URL, or the real API)
 * @param fishToken            the upstream token; stored in the emulator's Secrets Manager like in AWS
 * @param apiPort              port of the local HTTP API, 0 for any free port
 * @param workerConcurrency    how many worker invocations may run at once (MaximumConcurrency in AWS)
 * @param parameterOverrides   template parameters, by name
 * @param environmentOverrides function environment variables, by name (applied after the template's)
 */
public record LocalOptions(String awsEndpoint, String fishBaseUrl, String fishToken, int apiPort, int workerConcurrency,
                           Path templatePath, Map<String, String> parameterOverrides,
                           Map<String, String> environmentOverrides) {
}
