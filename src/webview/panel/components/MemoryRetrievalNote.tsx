import type { AuctionView } from '../../../common/protocol/auctionView';

/** One muted line: how the memory found the past auctions the refining models learned from (embedding or BM25). */
export function MemoryRetrievalNote({ note }: { note: AuctionView['retrievalNote'] }) {
  if (!note) return null;
  return (
    <p class="muted" id="memory-retrieval" title={note.tooltip}>
      <span class="codicon codicon-database" aria-hidden="true" /> {note.text}
    </p>
  );
}
