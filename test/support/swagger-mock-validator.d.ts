// @pactflow/swagger-mock-validator 14.5 points "types" at lib/api-types.d.ts, which it does not ship.
// The part these tests use, as its README documents it.
declare module "@pactflow/swagger-mock-validator" {
  export interface ValidationOutcomeEntry {
    code: string;
    message: string;
    source: string;
    mockDetails?: { interactionDescription?: string; location?: string; value?: unknown };
    specDetails?: { location?: string; value?: unknown };
  }
  export interface ValidationOutcome {
    success: boolean;
    errors: ValidationOutcomeEntry[];
    warnings: ValidationOutcomeEntry[];
  }
  export const SwaggerMockValidatorFactory: {
    create(auth?: string): {
      validate(options: { specPathOrUrl: string; mockPathOrUrl: string; providerName?: string; analyticsUrl?: string }): Promise<ValidationOutcome>;
    };
  };
}
