package io.receiptranger.ingest.upload;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The size of a HEIF file's primary image, read from its boxes without decoding anything
 * (ISO/IEC 23008-12): {@code meta/pitm} names the primary item, {@code meta/iprp/ipma} lists its
 * properties by index into {@code meta/iprp/ipco}, and the {@code ispe} among them is its width and
 * height. Empty when any of this is missing: such a file is refused rather than decoded unchecked.
 */
final class HeifHeader {

    /** A {@code meta} box larger than this is not read (an iPhone photo's is a few KiB). */
    static final int MAX_META_BYTES = 4 << 20;

    private HeifHeader() {
    }

    static Optional<long[]> primarySize(Path file) {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            ByteBuffer meta = topLevelBox(channel, "meta");
            return meta == null ? Optional.empty() : primarySize(meta);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<long[]> primarySize(ByteBuffer meta) {
        meta.position(meta.position() + 4); // FullBox version and flags
        Long primary = null;
        List<ByteBuffer> properties = new ArrayList<>();
        ByteBuffer ipma = null;
        for (Box box : children(meta)) {
            switch (box.type) {
                case "pitm" -> {
                    int version = box.body.get() & 0xFF;
                    box.body.position(box.body.position() + 3);
                    primary = version == 0 ? (long) (box.body.getShort() & 0xFFFF) : box.body.getInt() & 0xFFFFFFFFL;
                }
                case "iprp" -> {
                    for (Box child : children(box.body)) {
                        if (child.type.equals("ipco")) {
                            for (Box property : children(child.body)) {
                                properties.add(property.type.equals("ispe") ? property.body : null);
                            }
                        } else if (child.type.equals("ipma")) {
                            ipma = child.body;
                        }
                    }
                }
                default -> {
                    // other boxes say nothing about the size
                }
            }
        }
        if (primary == null || ipma == null) {
            return Optional.empty();
        }
        int version = ipma.get() & 0xFF;
        int flags = (ipma.get() & 0xFF) << 16 | (ipma.get() & 0xFF) << 8 | (ipma.get() & 0xFF);
        long entries = ipma.getInt() & 0xFFFFFFFFL;
        for (long e = 0; e < entries; e++) {
            long item = version < 1 ? ipma.getShort() & 0xFFFF : ipma.getInt() & 0xFFFFFFFFL;
            int associations = ipma.get() & 0xFF;
            for (int a = 0; a < associations; a++) {
                int index = (flags & 1) != 0 ? ipma.getShort() & 0x7FFF : ipma.get() & 0x7F;
                if (item == primary && index >= 1 && index <= properties.size() && properties.get(index - 1) != null) {
                    ByteBuffer ispe = properties.get(index - 1);
                    ispe.position(ispe.position() + 4);
                    return Optional.of(new long[] { ispe.getInt() & 0xFFFFFFFFL, ispe.getInt() & 0xFFFFFFFFL });
                }
            }
        }
        return Optional.empty();
    }

    private record Box(String type, ByteBuffer body) {
    }

    /** The boxes that fill the rest of {@code parent}, each as a view of its body. */
    private static List<Box> children(ByteBuffer parent) {
        List<Box> boxes = new ArrayList<>();
        try {
            while (parent.remaining() >= 8) {
                long size = parent.getInt() & 0xFFFFFFFFL;
                String type = type(parent.getInt());
                int header = 8;
                if (size == 1) {
                    size = parent.getLong();
                    header = 16;
                } else if (size == 0) {
                    size = parent.remaining() + 8L;
                }
                if (size < header || size - header > parent.remaining()) {
                    break;
                }
                ByteBuffer body = parent.slice(parent.position(), (int) (size - header));
                parent.position(parent.position() + (int) (size - header));
                boxes.add(new Box(type, body));
            }
        } catch (BufferUnderflowException e) {
            // a truncated box ends the list
        }
        return boxes;
    }

    /** The body of the first top-level box of {@code wanted} type, or null. */
    private static ByteBuffer topLevelBox(SeekableByteChannel channel, String wanted) throws IOException {
        long position = 0;
        ByteBuffer header = ByteBuffer.allocate(16);
        while (position + 8 <= channel.size()) {
            channel.position(position);
            header.clear();
            readFully(channel, header.limit(8));
            long size = header.getInt(0) & 0xFFFFFFFFL;
            String type = type(header.getInt(4));
            int headerSize = 8;
            if (size == 1) {
                header.limit(16);
                readFully(channel, header);
                size = header.getLong(8);
                headerSize = 16;
            } else if (size == 0) {
                size = channel.size() - position;
            }
            if (size < headerSize) {
                return null;
            }
            if (type.equals(wanted)) {
                if (size - headerSize > MAX_META_BYTES) {
                    return null;
                }
                ByteBuffer body = ByteBuffer.allocate((int) (size - headerSize));
                readFully(channel, body);
                return body.flip();
            }
            position += size;
        }
        return null;
    }

    private static void readFully(SeekableByteChannel channel, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into) < 0) {
                throw new IOException("truncated");
            }
        }
    }

    private static String type(int fourCc) {
        return new String(new byte[] { (byte) (fourCc >> 24), (byte) (fourCc >> 16), (byte) (fourCc >> 8), (byte) fourCc },
                java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
