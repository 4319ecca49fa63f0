/** A condition's value: Apache's answer, or undecided when wsgictl cannot know it. */
export type Truth = boolean | { undecided: string };
