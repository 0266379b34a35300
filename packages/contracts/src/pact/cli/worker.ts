/**
 * The verification runs in a child process: pact_ffi prints its own report to stdout (with ANSI
 * colours, in Pact's wording), which the CLI keeps out of its table, and a child can be killed when
 * the whole run overruns its deadline.
 */
import { fork } from "node:child_process";
import { runVerification, VerificationSetupError, type VerifyProviderOptions } from "../verify.js";
import type { VerificationReport } from "../report.js";
import type { SignRequest } from "../resign.js";

const WORKER_ENV = "DTTRACKER_DOBBLETAP_VERIFY_WORKER";

type WorkerAnswer = { report: VerificationReport } | { setupError: string } | { crash: string };

export const isWorker = () => process.env[WORKER_ENV] === "1";

/** In the child: wait for the options, verify, send the report back. */
export function runWorker(sign: SignRequest): void {
  process.once("message", (options: Omit<VerifyProviderOptions, "sign">) => {
    runVerification({ ...options, sign }).then(
      (report) => send({ report }),
      (error: unknown) => send(error instanceof VerificationSetupError ? { setupError: error.message } : { crash: (error as Error).stack ?? String(error) }),
    );
  });
}

function send(answer: WorkerAnswer) {
  process.send!(answer, () => process.exit(0));
}

/** What the parent gets: the report, or why there is none, and Pact's own output. */
export type WorkerResult = (WorkerAnswer | { timedOut: true }) & { pactOutput: string };

/** In the parent: run one verification in a child process, killed after `deadlineMs`. */
export function verifyInChild(options: Omit<VerifyProviderOptions, "sign">, deadlineMs: number): Promise<WorkerResult> {
  return new Promise((resolve) => {
    const child = fork(process.argv[1]!, [], {
      env: { ...process.env, [WORKER_ENV]: "1", PACT_DO_NOT_TRACK: process.env.PACT_DO_NOT_TRACK ?? "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let pactOutput = "";
    child.stdout!.on("data", (chunk: Buffer) => (pactOutput += chunk));
    child.stderr!.on("data", (chunk: Buffer) => (pactOutput += chunk));
    let answer: WorkerAnswer | undefined;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve({ timedOut: true, pactOutput });
    }, deadlineMs);
    child.on("message", (message: WorkerAnswer) => (answer = message));
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ ...(answer ?? { crash: `the verifier process exited (${signal ?? code}) without a report` }), pactOutput });
    });
    child.send(options);
  });
}
