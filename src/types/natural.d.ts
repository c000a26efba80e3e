// Deep imports of `natural` modules: the package index loads every module (and dotenv), so we import only what we use.
declare module 'natural/lib/natural/stemmers/porter_stemmer.js' {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}

declare module 'natural/lib/natural/distance/levenshtein_distance.js' {
  export function DamerauLevenshteinDistance(source: string, target: string, options?: { restricted?: boolean }): number;
}

declare module 'natural/lib/natural/classifiers/bayes_classifier.js' {
  export interface ApparatusBayes {
    classFeatures: Record<string, Record<number, number>>;
    classTotals: Record<string, number>;
    totalExamples: number;
    smoothing: number;
    getClassifications(observation: number[] | Record<number, number>): { label: string; value: number }[];
  }
  export default class BayesClassifier {
    constructor(stemmer?: unknown, smoothing?: number);
    features: Record<string, number>;
    classifier: ApparatusBayes;
    addDocument(text: string | string[], label: string): void;
    textToFeatures(observation: string[]): number[] | Record<number, number>;
    train(): void;
    getClassifications(observation: string | string[]): { label: string; value: number }[];
    classify(observation: string | string[]): string;
  }
}

declare module 'natural/lib/natural/tfidf/tfidf.js' {
  export default class TfIdf {
    addDocument(document: string | string[]): void;
    tfidfs(terms: string | string[], callback?: (index: number, measure: number) => void): number[];
    tfidf(terms: string | string[], document: number): number;
    idf(term: string): number;
  }
}
