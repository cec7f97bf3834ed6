// The part of node-llama-cpp 3.21.1's API the llama backend uses, typed structurally here:
// node-llama-cpp is not a dependency of podbench (a plain `npm install` stays light; see
// runtime.ts), so its own type declarations are not there to import when podbench builds.
// Only what is called is declared, with the signatures of 3.21.1 (dist/index.d.ts).

export type Token = number;

export interface NodeLlamaCpp {
  getLlama(options: GetLlamaOptions): Promise<Llama>;
  resolveChatWrapper(model: LlamaModel, options?: { warningLogs?: boolean }): ChatWrapper | null;
  GeneralChatWrapper: new () => ChatWrapper;
  TokenBias: new (tokenizer: unknown) => TokenBias;
}

export interface GetLlamaOptions {
  gpu: false;
  build: 'never';
  usePrebuiltBinaries: boolean;
  skipDownload: boolean;
  progressLogs: boolean;
  logLevel: 'error' | 'warn';
  logger?: (level: string, message: string) => void;
  /** 0: no cap, so each context's `threads` is exactly the threads it uses. */
  maxThreads: number;
}

export interface Llama {
  loadModel(options: { modelPath: string; vocabOnly?: boolean; gpuLayers?: number }): Promise<LlamaModel>;
}

export interface LlamaModel {
  readonly tokenizer: unknown;
  readonly tokens: {
    readonly bos: Token | null;
    readonly shouldPrependBosToken: boolean;
  };
  readonly fileInfo: { readonly metadata: Record<string, unknown> };
  readonly trainContextSize: number;
  tokenize(text: string, specialTokens?: boolean): Token[];
  detokenize(tokens: readonly Token[], specialTokens?: boolean, lastTokens?: readonly Token[]): string;
  isEogToken(token: Token): boolean;
  iterateAllTokens(): Iterable<Token>;
  createContext(options: LlamaContextOptions): Promise<LlamaContext>;
  dispose(): Promise<void>;
}

export interface LlamaContextOptions {
  sequences: number;
  contextSize: number;
  threads: number;
  batchSize?: number;
}

export interface LlamaContext {
  readonly contextSize: number;
  getSequence(): LlamaContextSequence;
  dispose(): Promise<void>;
}

export interface LlamaContextSequence {
  evaluateWithMetadata(
    tokens: Token[],
    metadata: { confidence?: boolean },
    options: EvaluateOptions,
  ): AsyncGenerator<{ token: Token; confidence?: number }, void, Token | Token[] | undefined>;
  clearHistory(): Promise<void>;
  dispose(): void;
}

export interface RepeatPenalty {
  punishTokens: () => Token[];
  maxPunishTokens: number;
  penalty: number;
  frequencyPenalty: number;
  presencePenalty: number;
}

export interface EvaluateOptions {
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
  seed: number;
  repeatPenalty?: RepeatPenalty;
  tokenBias?: () => TokenBias;
  /** The end-of-generation token is yielded and decoding goes on if asked for more. */
  yieldEogToken: true;
}

export interface TokenBias {
  set(input: Token | Token[], bias: 'never' | number | { logit: number }): TokenBias;
}

export interface ChatHistoryItem {
  type: 'system' | 'user' | 'model';
  text?: string;
  response?: string[];
}

export interface ChatWrapper {
  readonly wrapperName: string;
  generateContextState(options: { chatHistory: ChatHistoryItem[] }): {
    contextText: { tokenize(tokenizer: unknown): Token[] };
  };
}
