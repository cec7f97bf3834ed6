// The synthetic model's vocabulary: word pieces the way a BPE tokenizer splits English,
// plus a few multi-byte UTF-8 pieces (é, —, …, emoji, CJK) so that clients meet characters
// that span several bytes, and, with the proxy worker, get split across stream slices.
//
// Token ids: piece i has id FIRST_PIECE_ID + i; END_OF_SEQUENCE_ID is the end-of-sequence
// token (its text is empty, like a special token with skip_special_tokens). stop_token_ids
// in a request refer to these ids.

export const END_OF_SEQUENCE_ID = 2;
export const FIRST_PIECE_ID = 100;

const WORDS = [
  ' the', ' of', ' and', ' to', ' a', ' in', ' is', ' that', ' for', ' it', ' as', ' with', ' was', ' on',
  ' be', ' by', ' this', ' are', ' or', ' from', ' at', ' which', ' an', ' can', ' model', ' token',
  ' data', ' time', ' system', ' request', ' worker', ' queue', ' load', ' test', ' latency', ' stream',
  ' batch', ' server', ' answer', ' question', ' result', ' value', ' number', ' first', ' second',
  ' next', ' more', ' most', ' some', ' many', ' each', ' other', ' new', ' good', ' small', ' large',
  ' fast', ' slow', ' light', ' water', ' river', ' city', ' capital', ' France', ' Paris', ' robot',
  ' story', ' world', ' people', ' example', ' process', ' because', ' however', ' also', ' only',
  ' into', ' over', ' after', ' before', ' between', ' through', ' during', ' without', ' under',
  ' will', ' would', ' could', ' should', ' may', ' might', ' must', ' has', ' have', ' had', ' does',
  ' do', ' did', ' not', ' no', ' yes', ' we', ' you', ' they', ' he', ' she', ' I', ' our', ' their',
  ' its', ' there', ' here', ' when', ' where', ' how', ' what', ' why', ' who', ' all', ' any',
  ' quantum', ' computing', ' energy', ' state', ' particle', ' wave', ' field', ' learn', ' build',
  ' run', ' make', ' use', ' find', ' give', ' take', ' see', ' know', ' think', ' say', ' get',
  'ing', 'ed', 'ly', 'er', 'est', 's', 'tion', 'ment', 'ness', 'able', 'ful', 'ous', 'ive', 'al',
  'un', 're', 'pre', 'con', 'ex', 'in', 'ic', 'ity', 'ize', 'ise',
  ',', ',', ',', '.', '.', '.', ';', ':', '!', '?', ' (', ')', ' "', '"', "'s", ' -', '\n', '\n\n',
  ' 1', ' 2', ' 3', '0', '5', '9', '%',
  ' café', 'é', ' naïve', ' —', '—', '…', ' 🙂', ' 🚀', '🤖', ' über', 'ñ', ' 日本', '語', ' Ω', '°',
];

/** Piece text by index; the index plus FIRST_PIECE_ID is the token id. */
export const VOCABULARY: readonly string[] = WORDS;
export const VOCABULARY_SIZE = WORDS.length;
