/**
 * Renders the rich-text tree (lib/chat/rich-text.ts) as React elements. Text is only ever a React text child
 * (escaped by React); tags come from a fixed list; links carry only an already-checked http(s)/mailto href.
 * There is no dangerouslySetInnerHTML anywhere on this path.
 */
import { createElement, Fragment, type ReactNode } from 'react';
import { LINK_REL } from '../../lib/chat/links';
import type { RichNode } from '../../lib/chat/rich-text';
import { Mention } from './mention';

export interface RichBodyProps {
  nodes: readonly RichNode[];
  nameOf: (userId: string) => string | undefined;
  selfId?: string;
}

function render(nodes: readonly RichNode[], props: RichBodyProps, key: string): ReactNode[] {
  return nodes.map((node, i) => {
    const k = `${key}.${i}`;
    switch (node.kind) {
      case 'text':
        return <Fragment key={k}>{node.text}</Fragment>;
      case 'break':
        return <br key={k} />;
      case 'mention':
        return <Mention key={k} userId={node.userId} nameOf={props.nameOf} selfId={props.selfId} />;
      case 'link':
        return (
          <a key={k} href={node.href} target="_blank" rel={LINK_REL}>
            {render(node.children, props, k)}
          </a>
        );
      case 'element':
        return createElement(node.tag, { key: k, ...(node.start !== undefined ? { start: node.start } : {}) }, ...render(node.children, props, k));
    }
  });
}

/** The body's elements (block-level: put it in a `<div>`). */
export function RichBody(props: RichBodyProps) {
  return <>{render(props.nodes, props, 'r')}</>;
}
