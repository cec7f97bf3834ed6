// Turns decode steps into the job's partial outputs, in the shape of the configured worker
// generation (see formats/generation-plan.ts OutputFormat). Each partial is one item the handler
// yields: it is appended to the job's output list (return_aggregate_stream) and queued
// for /stream. `tokens` says how many generated tokens first became visible in it.
import type { Rng } from '../../util/rng.js';
import type { GenerationPlan, OutputFormat } from '../formats/generation-plan.js';
import type { OutputEmitter, PartialOutput, Sequence } from '../types.js';
import { createBatcher, gather, type Batcher } from './batch-size.js';
import type { BatchSizeConfig } from '../formats/batch-config.js';
import {
  ChunkRenderer,
  SSE_DONE,
  completionResponse,
  usageOf,
  type ResponseIdentity,
} from '../formats/openai-format.js';
import { sliceLikeSocketReads, type SseEvent } from './sse-slices.js';

export interface EmitterContext {
  /** chatcmpl-/cmpl- id for OpenAI shapes. */
  responseId: string;
  createdS: number;
  /** Draws the byte boundaries of proxy stream slices. */
  rng: Rng;
}

export function createEmitter(plan: GenerationPlan, context: EmitterContext): OutputEmitter {
  const format: OutputFormat = plan.output;
  switch (format.kind) {
    case 'legacy-tokens':
      return new LegacyTokensEmitter(plan, format.stream, format.batch);
    case 'openai':
      return new OpenAIEmitter(plan, format, context);
    default: {
      const never: never = format;
      throw new Error(`unknown output format ${JSON.stringify(never)}`);
    }
  }
}

/** worker-vllm <= v2.23.0 _generate_vllm: {choices:[{tokens}], usage:{input, output}} items. */
class LegacyTokensEmitter implements OutputEmitter {
  private readonly batcher: Batcher;
  private total = 0;
  private choices: string[][];
  private readonly plan: GenerationPlan;
  private readonly stream: boolean;

  constructor(plan: GenerationPlan, stream: boolean, config: BatchSizeConfig) {
    this.plan = plan;
    this.stream = stream;
    this.batcher = createBatcher(config);
    this.choices = this.emptyChoices();
  }

  private emptyChoices(): string[][] {
    const choices: string[][] = [];
    for (let i = 0; i < this.plan.n; i++) choices.push([]);
    return choices;
  }

  private item(): unknown {
    return {
      choices: this.choices.map((tokens) => ({ tokens })),
      usage: { input: this.plan.promptTokens, output: this.total },
    };
  }

  step(sequences: readonly Sequence[], out: PartialOutput[]): void {
    // The worker counts one update per returned sequence per engine output and checks the
    // threshold after each, so with n > 1 a batch can close between two sequences.
    for (let i = 0; i < this.plan.n; i++) {
      const seq = sequences[i] as Sequence;
      if (!seq.stepped) continue;
      this.total++;
      if (!this.stream) continue;
      (this.choices[i] as string[]).push(seq.delta);
      const size = gather(this.batcher);
      if (size > 0) {
        out.push({ item: this.item(), tokens: size });
        this.choices = this.emptyChoices();
      }
    }
  }

  finish(sequences: readonly Sequence[], out: PartialOutput[]): void {
    if (!this.stream) {
      // The whole answer in one item.
      for (let i = 0; i < this.plan.n; i++) this.choices[i] = [(sequences[i] as Sequence).text];
      out.push({ item: this.item(), tokens: this.total });
      return;
    }
    const left = this.batcher.gathered;
    if (left > 0) out.push({ item: this.item(), tokens: left });
  }
}

/** vLLM's OpenAI server output, as the legacy OpenAI path batches it or the proxy reads it. */
class OpenAIEmitter implements OutputEmitter {
  private readonly renderer: ChunkRenderer;
  private readonly who: ResponseIdentity;
  private started = false;
  private completionTokens = 0;
  /** Tokens generated per choice since its last event (held-back text has no event yet). */
  private readonly unsent: number[];
  private readonly batcher: Batcher;
  private parts: string[] = [];
  private partTokens = 0;
  /** The step's events, one array reused from step to step (nothing keeps it). */
  private readonly events: SseEvent[] = [];
  private readonly plan: GenerationPlan;
  private readonly format: Extract<OutputFormat, { kind: 'openai' }>;
  private readonly context: EmitterContext;

  constructor(plan: GenerationPlan, format: Extract<OutputFormat, { kind: 'openai' }>, context: EmitterContext) {
    this.plan = plan;
    this.format = format;
    this.context = context;
    this.who = { api: format.api, id: context.responseId, created: context.createdS, model: format.model };
    this.renderer = new ChunkRenderer(this.who);
    this.unsent = new Array<number>(plan.n).fill(0);
    this.batcher = createBatcher(format.batch);
  }

  step(sequences: readonly Sequence[], out: PartialOutput[]): void {
    const n = this.plan.n;
    for (let i = 0; i < n; i++) if ((sequences[i] as Sequence).stepped) this.completionTokens++;
    if (!this.format.stream) return;
    const events = this.events;
    events.length = 0;
    if (!this.started) {
      this.started = true;
      if (this.format.api === 'chat')
        for (let i = 0; i < n; i++) events.push({ text: this.renderer.role(i), tokens: 0 });
    }
    for (let i = 0; i < n; i++) {
      const seq = sequences[i] as Sequence;
      if (!seq.stepped) continue;
      this.unsent[i] = (this.unsent[i] as number) + 1;
      // vLLM skips a step whose delta is empty, except the one that carries finish_reason.
      if (seq.delta === '' && !seq.finished) continue;
      const usage = this.format.continuousUsage ? usageOf(this.plan.promptTokens, this.completionTokens) : undefined;
      events.push({
        text: this.renderer.content(i, seq.delta, seq.finished ? seq : undefined, usage),
        tokens: this.unsent[i] as number,
      });
      this.unsent[i] = 0;
    }
    this.deliver(events, out, false);
  }

  finish(sequences: readonly Sequence[], out: PartialOutput[]): void {
    const usage = usageOf(this.plan.promptTokens, this.completionTokens);
    if (!this.format.stream) {
      out.push({ item: completionResponse(this.who, sequences, this.plan.n, usage), tokens: this.completionTokens });
      return;
    }
    const events: SseEvent[] = [];
    if (this.format.includeUsage) events.push({ text: this.renderer.usage(usage), tokens: 0 });
    events.push({ text: SSE_DONE, tokens: 0 });
    this.deliver(events, out, true);
  }

  private deliver(events: SseEvent[], out: PartialOutput[], last: boolean): void {
    if (this.format.delivery === 'raw-slices') {
      sliceLikeSocketReads(events, this.context.rng, out);
      return;
    }
    // Legacy OpenAI path: every SSE event counts one towards the env-default BatchSize, and
    // each yield is the batch's events joined into one string (RAW_OPENAI_OUTPUT=1).
    for (const event of events) {
      this.parts.push(event.text);
      this.partTokens += event.tokens;
      if (gather(this.batcher) > 0) {
        out.push({ item: this.parts.join(''), tokens: this.partTokens });
        this.parts = [];
        this.partTokens = 0;
      }
    }
    if (last && this.parts.length > 0) {
      out.push({ item: this.parts.join(''), tokens: this.partTokens });
      this.parts = [];
    }
  }
}
